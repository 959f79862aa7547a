"""Forms of the tracing pages (names in any script; every field but the relation optional)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mawa.core.models import User
from mawa.core.roles import Role
from mawa.registry.models import Person
from mawa.tracelink.request import parse_birth_year
from mawa.tracing.models import Circumstance, Consent, Relation, Status

SEX = [("", "—")] + list(Person.Sex.choices)


class SoughtForm(forms.Form):
    relation = forms.ChoiceField(label=_("relation to the seeker"), choices=Relation.choices)
    given_name = forms.CharField(label=_("given name"), max_length=60, required=False)
    father_name = forms.CharField(label=_("father's name"), max_length=60, required=False)
    grandfather_name = forms.CharField(label=_("grandfather's name"), max_length=60, required=False)
    family_name = forms.CharField(label=_("family name"), max_length=60, required=False)
    mother_name = forms.CharField(label=_("mother's name"), max_length=60, required=False)
    sex = forms.ChoiceField(label=_("sex"), choices=SEX, required=False)
    birth_year = forms.CharField(
        label=_("birth year or age"), max_length=20, required=False,
        help_text=_("As given: 1990, ~1990, 1988-1992 or an age."),
    )  # fmt: skip
    governorate = forms.CharField(label=_("governorate of origin"), max_length=60, required=False)
    circumstances = forms.ChoiceField(
        label=_("circumstances"), choices=[("", "—")] + list(Circumstance.choices), required=False
    )
    last_seen_place = forms.CharField(label=_("last seen where"), max_length=200, required=False)
    last_seen_date = forms.DateField(label=_("last seen on"), required=False)
    marks = forms.CharField(label=_("distinguishing marks"), max_length=500, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def clean_birth_year(self):
        value = self.cleaned_data["birth_year"].strip()
        try:
            parse_birth_year(value)
        except ValueError as error:
            raise forms.ValidationError(
                _("Give a year (1990), an approximate year (~1990), a range (1988-1992) or an age.")
            ) from error
        return value

    def clean(self):
        data = super().clean()
        parts = ("given_name", "father_name", "family_name", "mother_name")
        if not any(data.get(p, "").strip() for p in parts):
            raise forms.ValidationError(_("Give at least one name of the sought person."))
        return data


class CaseForm(SoughtForm):
    site = forms.ModelChoiceField(label=_("site"), queryset=None)
    seeker_household = forms.CharField(
        label=_("seeker's household number (if registered)"), max_length=20, required=False
    )
    seeker_given_name = forms.CharField(
        label=_("seeker's given name"), max_length=60, required=False
    )
    seeker_father_name = forms.CharField(
        label=_("seeker's father's name"), max_length=60, required=False
    )
    seeker_grandfather_name = forms.CharField(
        label=_("seeker's grandfather's name"), max_length=60, required=False
    )
    seeker_family_name = forms.CharField(
        label=_("seeker's family name"), max_length=60, required=False
    )
    seeker_sex = forms.ChoiceField(label=_("seeker's sex"), choices=SEX, required=False)
    seeker_contact = forms.CharField(
        label=_("how to reach the seeker"), max_length=300, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    notes = forms.CharField(label=_("notes"), max_length=2000, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    designated_officer = forms.ModelChoiceField(
        label=_("designated officer (for a child)"), queryset=None, required=False
    )

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["designated_officer"].queryset = User.objects.filter(
            role=Role.PROTECTION, is_active=True
        ).order_by("username")

    def clean(self):
        data = super().clean()
        child = data.get("circumstances") in ("unaccompanied", "separated")
        if child and not data.get("designated_officer"):
            self.add_error(
                "designated_officer",
                _("A child's case needs a designated officer to consent on the child's behalf."),
            )
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=Status.choices)
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)


class ConsentForm(forms.Form):
    given_by = forms.CharField(label=_("who consented"), max_length=120, required=False)
    scopes = forms.MultipleChoiceField(
        label=_("what may be disclosed"), choices=Consent.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
