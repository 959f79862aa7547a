"""Forms of the registry. Field order follows the paper form, so a clerk can Tab straight down."""

import re

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mawa.core.forms import DigitsForm, FlexibleDateField, check_past_date, year_only
from mawa.core.models import AdminArea, Site
from mawa.registry.models import (
    Consent,
    ConsentPurpose,
    Household,
    IdentityDocument,
    Movement,
    Person,
    Shelter,
    SpecificNeed,
)
from mawa.registry.needs import need_choices

MAX_AGE = 120
MAX_MEMBERS = Household.MAX_MEMBERS
# Characters that change how a name is shown or compared without being seen: direction
# embeddings, overrides and isolates, direction marks, zero-width spaces and joiners.
INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Exactly the characters whose lower case falls in a-z: A-Z, a-z, İ (U+0130), K (U+212A).
LATIN_LETTER = re.compile("[A-Za-z\u0130\u212a]")


def origin_choices():
    return AdminArea.objects.filter(level__gte=AdminArea.Level.DISTRICT).order_by("pcode")


class HouseholdForm(DigitsForm):
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "data-digits": "ascii"}),
    )
    origin_area = forms.ModelChoiceField(
        label=_("Place of origin (district or sub-district)"),
        queryset=AdminArea.objects.none(),
        required=False,
    )
    origin_village = forms.CharField(
        label=_("Village or neighbourhood"), max_length=120, required=False
    )
    displacement_date = FlexibleDateField(label=_("Date of displacement"), required=False)
    arrival_date = FlexibleDateField(label=_("Date of arrival"))
    consent_date = FlexibleDateField(label=_("Date of consent"))
    consent_purposes = forms.MultipleChoiceField(
        label=_("Consent given for"),
        choices=ConsentPurpose.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Record the consent the family gave: at least one.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin_area"].queryset = origin_choices()
        if not self.is_bound:
            today = timezone.localdate().isoformat()
            self.initial.setdefault("arrival_date", today)
            self.initial.setdefault("consent_date", today)
            self.initial.setdefault("consent_purposes", [ConsentPurpose.ASSISTANCE])

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not all(ch.isdigit() or ch in "+ -" for ch in phone):
            raise forms.ValidationError(_("A phone number has digits only."))
        return phone

    def clean_displacement_date(self):
        return check_past_date(self.cleaned_data["displacement_date"], earliest_year=2000)

    def clean_arrival_date(self):
        return check_past_date(self.cleaned_data["arrival_date"], earliest_year=2000)

    def clean_consent_date(self):
        return check_past_date(self.cleaned_data["consent_date"], earliest_year=2000)

    def clean(self):
        data = super().clean()
        displaced, arrived = data.get("displacement_date"), data.get("arrival_date")
        if displaced and arrived and displaced > arrived:
            self.add_error("arrival_date", _("Arrival cannot come before displacement."))
        return data


class MemberForm(DigitsForm):
    """One person: four name parts and the mother's name in either or both scripts."""

    relationship = forms.ChoiceField(
        label=_("Relationship to head"), choices=[("", "—"), *Person.Relationship.choices]
    )
    given_name_ar = forms.CharField(label=_("Given name"), max_length=60, required=False)
    father_name_ar = forms.CharField(label=_("Father's name"), max_length=60, required=False)
    grandfather_name_ar = forms.CharField(
        label=_("Grandfather's name"), max_length=60, required=False
    )
    family_name_ar = forms.CharField(label=_("Family name"), max_length=60, required=False)
    mother_name_ar = forms.CharField(label=_("Mother's name"), max_length=120, required=False)
    given_name_lat = forms.CharField(label=_("Given name"), max_length=60, required=False)
    father_name_lat = forms.CharField(label=_("Father's name"), max_length=60, required=False)
    grandfather_name_lat = forms.CharField(
        label=_("Grandfather's name"), max_length=60, required=False
    )
    family_name_lat = forms.CharField(label=_("Family name"), max_length=60, required=False)
    mother_name_lat = forms.CharField(label=_("Mother's name"), max_length=120, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Person.Sex.choices])
    birth_date = FlexibleDateField(
        label=_("Date of birth"), required=False, help_text=_("YYYY-MM-DD, or the year alone")
    )
    birth_date_estimated = forms.BooleanField(label=_("Estimated"), required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "data-digits": "ascii"}),
    )
    document_kind = forms.ChoiceField(
        label=_("Document"),
        choices=[("", "—"), *IdentityDocument.Kind.choices],
        required=False,
    )
    document_number = forms.CharField(label=_("Document number"), max_length=40, required=False)
    needs = forms.MultipleChoiceField(
        label=_("Specific needs"),
        choices=SpecificNeed.Code.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    ARABIC_FIELDS = [f"{p}_name_ar" for p in Person.NAME_PARTS]
    LATIN_FIELDS = [f"{p}_name_lat" for p in Person.NAME_PARTS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.ARABIC_FIELDS:
            self.fields[name].widget.attrs.update(lang="ar", dir="rtl")
        for name in self.LATIN_FIELDS:
            self.fields[name].widget.attrs.update(lang="en", dir="ltr")

    def clean_birth_date(self):
        value = check_past_date(self.cleaned_data["birth_date"])
        if value and timezone.localdate().year - value.year > MAX_AGE:
            raise forms.ValidationError(_("An age over %s years is not possible.") % MAX_AGE)
        return value

    def clean_phone(self):
        return HouseholdForm.clean_phone(self)

    def clean(self):
        data = super().clean()
        for name in self.ARABIC_FIELDS + self.LATIN_FIELDS:
            if INVISIBLE.search(data.get(name) or ""):
                self.add_error(
                    name,
                    _(
                        "Remove the invisible direction or zero-width characters from this "
                        "name (often pasted along with it)."
                    ),
                )
            data[name] = " ".join((data.get(name) or "").split())
        if not data.get("given_name_ar") and not data.get("given_name_lat"):
            self.add_error("given_name_ar", _("Give the person's given name in either script."))
        for name in self.ARABIC_FIELDS:
            if LATIN_LETTER.search(data.get(name, "")):
                self.add_error(name, _("Type Latin letters in the Latin-script field."))
        if bool(data.get("document_kind")) != bool(data.get("document_number")):
            self.add_error("document_number", _("Give both the document type and its number."))
        return data

    def member_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in self.ARABIC_FIELDS + self.LATIN_FIELDS}
        fields.update(
            relationship=data["relationship"],
            sex=data["sex"],
            birth_date=data.get("birth_date"),
            phone=data.get("phone", ""),
        )
        if data.get("birth_date_estimated"):
            fields["birth_date_precision"] = Person.DatePrecision.ESTIMATED
        elif year_only(self.data.get(self.add_prefix("birth_date"), "")):
            fields["birth_date_precision"] = Person.DatePrecision.YEAR
        else:
            fields["birth_date_precision"] = Person.DatePrecision.EXACT
        return fields

    def documents(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        if data.get("document_kind") and data.get("document_number"):
            return [(data["document_kind"], data["document_number"].strip())]
        return []


class BaseMemberFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        filled = [f for f in self.forms if f.has_changed() and f not in self.deleted_forms]
        heads = [f for f in filled if f.cleaned_data.get("relationship") == Person.HEAD]
        if len(heads) != 1:
            raise forms.ValidationError(_("Mark exactly one member as head of household."))


MemberFormSet = formset_factory(
    MemberForm,
    formset=BaseMemberFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=MAX_MEMBERS,
    validate_max=True,
)


def filled_members(formset) -> list:
    return [f for f in formset.forms if f.has_changed()]


class ShelterForm(DigitsForm):
    shelter = forms.ModelChoiceField(label=_("Shelter"), queryset=Shelter.objects.none())
    accept_overflow = forms.BooleanField(
        label=_("Accept putting more people in this shelter than it holds"), required=False
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Only these members (leave empty to keep the family together)"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, household: Household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shelter"].queryset = Shelter.objects.filter(
            site=household.site, is_active=True
        ).select_related("sector")
        self.fields["members"].queryset = household.members.all()


class TransferForm(DigitsForm):
    to_site = forms.ModelChoiceField(label=_("To site"), queryset=Site.objects.none())
    date = FlexibleDateField(label=_("Date"))

    def __init__(self, *args, household: Household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_site"].queryset = Site.objects.filter(is_active=True).exclude(
            pk=household.site_id
        )
        self.initial.setdefault("date", timezone.localdate().isoformat())

    def clean_date(self):
        return check_past_date(self.cleaned_data["date"], earliest_year=2000)


class DepartureForm(DigitsForm):
    date = FlexibleDateField(label=_("Date"))
    reason = forms.ChoiceField(label=_("Reason"), choices=Movement.Reason.choices)
    destination_area = forms.ModelChoiceField(
        label=_("Destination (district or sub-district)"),
        queryset=AdminArea.objects.none(),
        required=False,
    )
    sponsor_name = forms.CharField(label=_("Sponsor's name"), max_length=150, required=False)
    sponsor_relation = forms.CharField(
        label=_("Sponsor's relation to the family"), max_length=60, required=False
    )
    sponsor_id_number = forms.CharField(
        label=_("Sponsor's ID number"), max_length=40, required=False
    )
    sponsor_phone = forms.CharField(label=_("Sponsor's phone"), max_length=20, required=False)
    sponsor_address = forms.CharField(label=_("Sponsor's address"), max_length=200, required=False)
    approved_by = forms.CharField(label=_("Approving officer"), max_length=150, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destination_area"].queryset = origin_choices()
        self.initial.setdefault("date", timezone.localdate().isoformat())

    def clean_date(self):
        return check_past_date(self.cleaned_data["date"], earliest_year=2000)

    def clean(self):
        data = super().clean()
        if data.get("reason") == Movement.Reason.SPONSORED:
            for name in ("sponsor_name", "sponsor_relation", "approved_by"):
                if not (data.get(name) or "").strip():
                    self.add_error(name, _("A sponsored exit needs this."))
        return data


class SearchForm(DigitsForm):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.none(), required=False, empty_label=_("All sites")
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *Household.Status.choices], required=False
    )

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites


class ShelterBatchForm(DigitsForm):
    sector_name = forms.CharField(label=_("Sector or block"), max_length=60)
    prefix = forms.SlugField(label=_("Code prefix"), max_length=20)
    count = forms.IntegerField(label=_("How many"), min_value=1, max_value=500)
    kind = forms.ChoiceField(label=_("Type"), choices=Shelter.Kind.choices)
    capacity = forms.IntegerField(label=_("People each"), min_value=1, max_value=60, initial=6)


class ConsentForm(DigitsForm):
    """One member's consent to one purpose, as the household page records it."""

    purpose = forms.ChoiceField(label=_("Consent to"), choices=ConsentPurpose.choices)
    partner = forms.CharField(
        label=_("Partner (for sharing)"),
        max_length=120,
        required=False,
        help_text=_("The organisation the data may be shared with."),
    )
    given_by = forms.ChoiceField(label=_("Given by"), choices=Consent.GivenBy.choices)
    given_on = FlexibleDateField(label=_("Date"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("given_on", timezone.localdate().isoformat())

    def clean_given_on(self):
        return check_past_date(self.cleaned_data["given_on"], earliest_year=2000)


class NeedsForm(forms.Form):
    """A member's specific needs, among `codes` (those the user may see)."""

    needs = forms.MultipleChoiceField(
        label=_("Specific needs"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].choices = need_choices(codes)
