"""Forms of the hazard pages: a status step, what a place blocks, a new report, an import."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mawa.core.models import AdminArea
from mawa.hazards.models import Blocks, Method, Source, Status


class StepForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    source = forms.ChoiceField(label=_("Who says so"), choices=Source.choices)
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    by = forms.CharField(label=_("Person, team or organisation"), max_length=150)
    at = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    evidence = forms.CharField(
        label=_("Evidence (what was seen, photo references)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason, if steps are skipped or the status goes back"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def when(self) -> dt.datetime:
        day = self.cleaned_data.get("at")
        if not day or day == timezone.localdate():
            return timezone.now()
        return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


class BlocksForm(forms.Form):
    blocks = forms.MultipleChoiceField(
        label=_("Blocks"),
        choices=Blocks.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class BuildingForm(StepForm):
    latitude = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    area = forms.ModelChoiceField(
        label=_("District or sub-district (P-code)"),
        queryset=AdminArea.objects.none(),
        required=False,
    )
    field_order = ["latitude", "longitude", "address", "area", "status", "source", "method"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = AdminArea.objects.filter(level__gte=2).order_by("pcode")
        self.fields["status"].label = _("Status")


class ImportForm(forms.Form):
    file = forms.FileField(label=_("GeoJSON file (FeatureCollection)"))
