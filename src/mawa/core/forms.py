"""Form helpers shared by every app: digits in any script, and friendly date checks."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mawa.namekeys import to_ascii_digits


class DigitsMixin:
    """Accept Arabic-Indic (٠-٩) and Persian (۰-۹) digits anywhere a number is typed."""

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            data = data.copy()
            for key in list(data.keys()):
                values = data.getlist(key) if hasattr(data, "getlist") else [data[key]]
                values = [to_ascii_digits(v) if isinstance(v, str) else v for v in values]
                if hasattr(data, "setlist"):
                    data.setlist(key, values)
                else:
                    data[key] = values[0]
        super().__init__(data, *args, **kwargs)


class DigitsForm(DigitsMixin, forms.Form):
    pass


class DigitsModelForm(DigitsMixin, forms.ModelForm):
    pass


class FlexibleDateField(forms.DateField):
    """A date typed as YYYY-MM-DD, DD/MM/YYYY or a bare year (read as 1 January, flagged)."""

    input_formats = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d"]

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "data-digits": "ascii"})
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        text = to_ascii_digits(str(value or "")).strip()
        if len(text) == 4 and text.isdigit():
            if int(text) < 1:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            return dt.date(int(text), 1, 1)
        return super().to_python(text)


def check_past_date(value: dt.date | None, *, earliest_year: int = 1900) -> dt.date | None:
    if value is None:
        return value
    if value > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))
    if value.year < earliest_year:
        raise forms.ValidationError(_("The date is too far in the past."))
    return value


def year_only(value: str) -> bool:
    text = to_ascii_digits(str(value or "")).strip()
    return len(text) == 4 and text.isdigit()
