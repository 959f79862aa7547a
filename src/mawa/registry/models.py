"""Households, people, shelters and movements.

No field here, or anywhere in Mawa, holds religion, sect, ethnicity, tribal or political
affiliation, or security suspicions. The family name (laqab) is a name part, kept as typed.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mawa.core.ids import new_id, new_reference
from mawa.core.models import AdminArea, Site, User


class Sector(models.Model):
    """A sector or block of a site."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="sectors")
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="sector_unique_name")]

    def __str__(self) -> str:
        return self.name


class Shelter(models.Model):
    class Kind(models.TextChoices):
        TENT = "tent", _("Tent")
        CARAVAN = "caravan", _("Caravan")
        ROOM = "room", _("Room")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="shelters")
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, null=True, blank=True, related_name="shelters"
    )
    code = models.CharField(_("code"), max_length=30)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.TENT)
    capacity_people = models.PositiveSmallIntegerField(_("capacity (people)"), default=6)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["site", "code"], name="shelter_unique_code")]

    def __str__(self) -> str:
        return f"{self.sector} / {self.code}" if self.sector_id else self.code


class ConsentPurpose(models.TextChoices):
    ASSISTANCE = "assistance", _("Registration and assistance")
    CONTACT = "contact", _("Contact by phone or SMS")
    TRACING = "tracing", _("Family tracing")
    SHARING = "sharing", _("Sharing with partners under a data-sharing agreement")


class Household(models.Model):
    MAX_MEMBERS = 40  # the form, the API's schema and household_register all hold to it

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        DEPARTED = "departed", _("Departed")
        MERGED = "merged", _("Merged as a duplicate")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    reference = models.CharField(
        _("household number"), max_length=16, unique=True, default=new_reference
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="households")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PRESENT
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    origin_area = models.ForeignKey(
        AdminArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("place of origin"),
    )
    origin_village = models.CharField(_("village or neighbourhood"), max_length=120, blank=True)
    displacement_date = models.DateField(_("date of displacement"), null=True, blank=True)
    arrival_date = models.DateField(_("date of arrival"))
    consent_date = models.DateField(_("date of consent"))
    consent_purposes = models.JSONField(_("consent given for"), default=list)
    registered_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["site", "status"], name="household_site_status")]
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return self.reference

    @property
    def consent_labels(self) -> list[str]:
        labels = dict(ConsentPurpose.choices)
        return [str(labels.get(code, code)) for code in self.consent_purposes]

    @property
    def head(self) -> "Person | None":
        return next((p for p in self.members.all() if p.relationship == Person.HEAD), None)


class Person(models.Model):
    class Sex(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")

    class DatePrecision(models.TextChoices):
        EXACT = "exact", _("Exact")
        YEAR = "year", _("Year only")
        ESTIMATED = "estimated", _("Estimated")

    class Relationship(models.TextChoices):
        HEAD = "head", _("Head of household")
        SPOUSE = "spouse", _("Spouse")
        SON = "son", _("Son")
        DAUGHTER = "daughter", _("Daughter")
        FATHER = "father", _("Father")
        MOTHER = "mother", _("Mother")
        BROTHER = "brother", _("Brother")
        SISTER = "sister", _("Sister")
        GRANDCHILD = "grandchild", _("Grandchild")
        GRANDPARENT = "grandparent", _("Grandparent")
        IN_LAW = "in_law", _("Son- or daughter-in-law")
        OTHER_RELATIVE = "other_relative", _("Other relative")
        NOT_RELATED = "not_related", _("Not related (in the family's care)")

    HEAD = Relationship.HEAD
    NAME_PARTS = ("given", "father", "grandfather", "family", "mother")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    relationship = models.CharField(
        _("relationship to head"), max_length=20, choices=Relationship.choices
    )
    given_name_ar = models.CharField(_("given name (Arabic script)"), max_length=60, blank=True)
    father_name_ar = models.CharField(_("father's name (Arabic script)"), max_length=60, blank=True)
    grandfather_name_ar = models.CharField(
        _("grandfather's name (Arabic script)"), max_length=60, blank=True
    )
    family_name_ar = models.CharField(_("family name (Arabic script)"), max_length=60, blank=True)
    mother_name_ar = models.CharField(
        _("mother's name (Arabic script)"), max_length=120, blank=True
    )
    given_name_lat = models.CharField(_("given name (Latin script)"), max_length=60, blank=True)
    father_name_lat = models.CharField(_("father's name (Latin script)"), max_length=60, blank=True)
    grandfather_name_lat = models.CharField(
        _("grandfather's name (Latin script)"), max_length=60, blank=True
    )
    family_name_lat = models.CharField(_("family name (Latin script)"), max_length=60, blank=True)
    mother_name_lat = models.CharField(
        _("mother's name (Latin script)"), max_length=120, blank=True
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_date_precision = models.CharField(
        _("precision of birth date"),
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.EXACT,
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    shelter = models.ForeignKey(
        Shelter, on_delete=models.SET_NULL, null=True, blank=True, related_name="occupants"
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,  # nearly always empty: a full index misleads the planner (see Meta)
        related_name="+",
        help_text=_("Set when this record was found to be a duplicate of another person."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["household", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=Q(relationship="head"), name="one_head_a_household"
            ),
            models.CheckConstraint(
                condition=~Q(given_name_ar="", given_name_lat=""), name="person_has_given_name"
            ),
        ]
        indexes = [
            # Partial: holds only merged records (nearly none), so the planner never picks it
            # for `merged_into IS NULL`, yet deleting a person no longer scans every person to
            # check that nobody was merged into them.
            models.Index(
                fields=["merged_into"],
                condition=Q(merged_into__isnull=False),
                name="person_merged_into",
            ),
        ]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name_ar or self.full_name_lat

    def _full(self, script: str) -> str:
        parts = (getattr(self, f"{part}_name_{script}") for part in self.NAME_PARTS[:4])
        return " ".join(p for p in parts if p)

    @property
    def full_name_ar(self) -> str:
        return self._full("ar")

    @property
    def full_name_lat(self) -> str:
        return self._full("lat")

    @property
    def birth_display(self) -> str:
        if not self.birth_date:
            return ""
        if self.birth_date_precision == self.DatePrecision.YEAR:
            return str(self.birth_date.year)
        prefix = "~" if self.birth_date_precision == self.DatePrecision.ESTIMATED else ""
        return prefix + self.birth_date.isoformat()


class SpecificNeed(models.Model):
    """UNHCR specific-needs categories: they drive priority in assistance and protection."""

    class Code(models.TextChoices):
        CHILD_AT_RISK = "CR", _("Child at risk")
        SEPARATED_CHILD = "SC", _("Unaccompanied or separated child")
        WOMAN_AT_RISK = "WR", _("Woman at risk")
        OLDER_PERSON = "ER", _("Older person at risk")
        SINGLE_PARENT = "SP", _("Single parent")
        DISABILITY = "DS", _("Disability")
        SERIOUS_MEDICAL = "SM", _("Serious medical condition")
        FAMILY_UNITY = "FU", _("Family unity")
        SURVIVOR = "SV", _("Survivor of violence")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)  # made at nodes too
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="needs")
    code = models.CharField(_("specific need"), max_length=2, choices=Code.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "code"], name="need_once")]

    def __str__(self) -> str:
        return self.code


class Consent(models.Model):
    """One person's consent to one purpose: who gave it, when, who recorded it, and its
    withdrawal. A withdrawn consent is kept (the history is the point); at most one consent a
    person, purpose and partner is active, and sharing names the partner it is for."""

    class GivenBy(models.TextChoices):
        PERSON = "person", _("The person")
        GUARDIAN = "guardian", _("A parent or guardian")
        OFFICER = "officer", _("A designated officer (best interests)")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=12, choices=ConsentPurpose.choices)
    partner = models.CharField(_("partner"), max_length=120, blank=True)
    given_by = models.CharField(
        _("given by"), max_length=10, choices=GivenBy.choices, default=GivenBy.PERSON
    )
    given_on = models.DateField(_("given on"))
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["person", "purpose", "-given_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "purpose", "partner"],
                condition=Q(withdrawn_on=None),
                name="consent_active_once",
            ),
            models.CheckConstraint(
                condition=(Q(purpose="sharing") & ~Q(partner=""))
                | (~Q(purpose="sharing") & Q(partner="")),
                name="consent_partner_for_sharing",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on=None) | Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on=None, withdrawn_by=None)
                | Q(withdrawn_on__isnull=False, withdrawn_by__isnull=False),
                name="consent_withdrawn_by_someone",
            ),
        ]
        indexes = [models.Index(fields=["purpose", "person"], name="consent_purpose")]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.person_id} {self.purpose}"

    @property
    def active(self) -> bool:
        return self.withdrawn_on is None


class IdentityDocument(models.Model):
    class Kind(models.TextChoices):
        NATIONAL_ID = "national_id", _("Unified national ID card")
        CIVIL_ID = "civil_id", _("Civil status ID")
        NATIONALITY = "nationality", _("Nationality certificate")
        PASSPORT = "passport", _("Passport")
        PDS_CARD = "pds_card", _("Public Distribution System ration card")
        OTHER = "other", _("Other")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)  # made at nodes too
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document type"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("document number"), max_length=40)

    class Meta:
        indexes = [models.Index(fields=["number"], name="document_number")]

    def __str__(self) -> str:
        return f"{self.kind} {self.number}"


class Movement(models.Model):
    """An arrival, transfer, shelter change or departure: the household's whole history."""

    class Kind(models.TextChoices):
        ARRIVAL = "arrival", _("Arrival")
        TRANSFER = "transfer", _("Transfer")
        SHELTER = "shelter", _("Shelter assignment")
        DEPARTURE = "departure", _("Departure")

    class Reason(models.TextChoices):
        RETURN = "return", _("Return to place of origin")
        SPONSORED = "sponsored", _("Sponsored exit")
        RELOCATION = "relocation", _("Relocation")
        UNKNOWN = "unknown", _("Unknown")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="movements")
    kind = models.CharField(_("movement"), max_length=10, choices=Kind.choices)
    date = models.DateField(_("date"))
    from_site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    shelter = models.ForeignKey(
        Shelter, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    people = models.PositiveSmallIntegerField(_("people"), default=0)
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices, blank=True)
    destination_area = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sponsor_name = models.CharField(_("sponsor's name"), max_length=150, blank=True)
    sponsor_relation = models.CharField(_("sponsor's relation"), max_length=60, blank=True)
    sponsor_id_number = models.CharField(_("sponsor's ID number"), max_length=40, blank=True)
    sponsor_phone = models.CharField(_("sponsor's phone"), max_length=20, blank=True)
    sponsor_address = models.CharField(_("sponsor's address"), max_length=200, blank=True)
    approved_by = models.CharField(_("approving officer"), max_length=150, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-recorded_at"]
        indexes = [
            models.Index(fields=["to_site", "kind", "date"], name="movement_to_site"),
            models.Index(fields=["from_site", "kind", "date"], name="movement_from_site"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.date}"


class SearchToken(models.Model):
    """One normalised search token of a person: a name part's cross-script key (or its
    normalised form when it has no key), a document number, a phone number or the household
    number. The household's site is copied here so that a search reads one index in order and
    stops at the first page: (token, person) for users of every site, (token, site, person) for
    users of a few.

    The tokens are a derived index (`mawa reindex` rebuilds them), so their foreign keys are
    not database constraints: on PostgreSQL checking them was about 45% of the server's work
    in an import. Deleting a person or a site still deletes its tokens (Django's collector
    cascades them before the row itself goes)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    token = models.CharField(max_length=64)

    class Meta:
        indexes = [
            models.Index(fields=["token", "person"], name="search_token"),
            models.Index(fields=["token", "site", "person"], name="search_token_site"),
        ]

    def __str__(self) -> str:
        return self.token


class ImportJob(models.Model):
    """An uploaded file between its dry run and the user's confirmation."""

    class Status(models.TextChoices):
        CHECKED = "checked", _("Checked")
        IMPORTED = "imported", _("Imported")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=200)
    stored_as = models.CharField(max_length=300)
    mapping = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CHECKED)
    report = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.filename
