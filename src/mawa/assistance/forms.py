"""Forms for stock movements and cards. Quantities accept Arabic-Indic digits."""

import datetime as dt
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


class PlanForm(DigitsForm):
    point = forms.ModelChoiceField(label=_("Distribution point"), queryset=None)
    first_day = forms.DateField(
        label=_("First day"),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "data-digits": "ascii", "placeholder": "YYYY-MM-DD"}
        ),
    )
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=31, initial=1)
    start = forms.TimeField(label=_("From"), initial="08:00")
    end = forms.TimeField(label=_("Until"), initial="14:00")
    lanes = forms.IntegerField(label=_("Lanes"), min_value=1, max_value=40, initial=4)
    per_lane_per_hour = forms.IntegerField(
        label=_("Households per lane per hour"), min_value=1, max_value=600, initial=60
    )
    slot_minutes = forms.IntegerField(
        label=_("Slot (minutes)"), min_value=5, max_value=240, initial=30
    )
    womens_lane = forms.BooleanField(label=_("A women's lane"), required=False, initial=True)

    def __init__(self, *args, points, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = points
        self.cycle = cycle

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] >= data["end"]:
            self.add_error("end", _("The day must end after it starts."))
        first, days = data.get("first_day"), data.get("days")
        if first and days:
            # Within the cycle's dates, which also keeps far dates (9999-12-31) from overflowing.
            last = self.cycle.ends - dt.timedelta(days=days - 1)
            if not self.cycle.starts <= first <= last:
                self.add_error(
                    "first_day",
                    _("The days planned must fall within the cycle, %(starts)s to %(ends)s.")
                    % {
                        "starts": self.cycle.starts.isoformat(),
                        "ends": self.cycle.ends.isoformat(),
                    },
                )
        return data
