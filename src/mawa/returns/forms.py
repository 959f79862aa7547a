from django import forms
from django.utils.translation import gettext_lazy as _

from mawa.core.forms import FlexibleDateField
from mawa.core.models import AdminArea
from mawa.hazards.models import Building
from mawa.returns.models import Obstacle, ReturnIntention


class IntentionForm(forms.Form):
    intends = forms.ChoiceField(label=_("Intention"), choices=ReturnIntention.Intends.choices)
    area = forms.ModelChoiceField(
        label=_("Area of return (district or sub-district)"),
        queryset=AdminArea.objects.none(),
        required=False,
    )
    address = forms.CharField(label=_("Address or neighbourhood"), max_length=200, required=False)
    latitude = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90, required=False)
    longitude = forms.FloatField(
        label=_("Longitude"), min_value=-180, max_value=180, required=False
    )
    building = forms.CharField(
        label=_("Home on the hazard map (feature id)"), max_length=64, required=False
    )
    intended_date = FlexibleDateField(label=_("When"), required=False)
    obstacles = forms.MultipleChoiceField(
        label=_("What stops them"),
        choices=Obstacle.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = AdminArea.objects.filter(level__gte=2).order_by("pcode")

    def clean_building(self):
        ref = self.cleaned_data["building"].strip()
        if not ref:
            return None
        building = Building.objects.filter(ref=ref).first()
        if building is None:
            raise forms.ValidationError(_("No building with this feature id on the hazard map."))
        return building

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return data
