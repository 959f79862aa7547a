"""Forms for stock movements and cards. Quantities accept Arabic-Indic digits."""

from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mawa.assistance.models import Commodity, StockEntry, StockLocation
from mawa.core.forms import DigitsForm


def locations_for(user):
    """Points at the user's sites; warehouses (no site) only for users of all sites."""
    scope = Q(site__in=user.site_scope())
    if user.all_sites:
        scope |= Q(site=None)
    return StockLocation.objects.filter(scope)


class StockForm(DigitsForm):
    KINDS = [
        (StockEntry.Kind.RECEIPT, _("Receipt")),
        (StockEntry.Kind.LOSS, _("Loss")),
        (StockEntry.Kind.RETURN, _("Return")),
    ]
    kind = forms.ChoiceField(label=_("Movement"), choices=KINDS)
    location = forms.ModelChoiceField(label=_("Location"), queryset=StockLocation.objects.none())
    commodity = forms.ModelChoiceField(label=_("Commodity"), queryset=Commodity.objects.all())
    quantity = forms.DecimalField(
        label=_("Quantity"), min_value=Decimal("0.001"), max_digits=14, decimal_places=3
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations_for(user)


class DispatchForm(DigitsForm):
    source = forms.ModelChoiceField(label=_("From"), queryset=StockLocation.objects.none())
    destination = forms.ModelChoiceField(label=_("To"), queryset=StockLocation.objects.none())
    commodity = forms.ModelChoiceField(label=_("Commodity"), queryset=Commodity.objects.all())
    quantity = forms.DecimalField(
        label=_("Quantity"), min_value=Decimal("0.001"), max_digits=14, decimal_places=3
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = locations_for(user)
        self.fields["destination"].queryset = StockLocation.objects.all()

    def clean(self):
        data = super().clean()
        if data.get("source") and data.get("source") == data.get("destination"):
            self.add_error("destination", _("Choose another location to send to."))
        return data


class ReceiveForm(DigitsForm):
    counted = forms.DecimalField(
        label=_("Counted on arrival"), min_value=Decimal(0), max_digits=14, decimal_places=3
    )
