"""Tracing cases: who is looking for whom, the matches proposed, and consent to disclose.

Names stay readable (they are what matching reads); what could harm someone if a copy of the
database were seized (circumstances, marks, last-seen place, notes, the seeker's contact,
verification questions and answers, the best-interests note) is sealed with the case's own
vault key (``mawa.core.vault``). Destroying that key when a closed case is erased makes those
values unreadable everywhere, backups included; erasing also blanks the names.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from mawa.core import vault
from mawa.core.ids import new_id
from mawa.core.models import Site, User
from mawa.registry.models import Person


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    POTENTIAL_MATCH = "potential_match", _("Potential match")
    UNDER_VERIFICATION = "under_verification", _("Under verification")
    LOCATED_ALIVE = "located_alive", _("Located alive")
    LOCATED_DECEASED = "located_deceased", _("Located deceased")
    REUNIFIED = "reunified", _("Reunified")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (Status.OPEN, Status.POTENTIAL_MATCH, Status.UNDER_VERIFICATION)


class Relation(models.TextChoices):
    """What the sought person is to the seeker."""

    SON = "son", _("Son")
    DAUGHTER = "daughter", _("Daughter")
    FATHER = "father", _("Father")
    MOTHER = "mother", _("Mother")
    BROTHER = "brother", _("Brother")
    SISTER = "sister", _("Sister")
    HUSBAND = "husband", _("Husband")
    WIFE = "wife", _("Wife")
    OTHER = "other", _("Other relative")


class Circumstance(models.TextChoices):
    SEPARATED_IN_FLIGHT = "flight", _("Separated in flight")
    DETAINED = "detained", _("Detained")
    ABDUCTED = "abducted", _("Abducted")
    MISSING_IN_FIGHTING = "fighting", _("Missing in fighting")
    UNACCOMPANIED_CHILD = "unaccompanied", _("Unaccompanied child")
    SEPARATED_CHILD = "separated", _("Separated child")


CHILD_CIRCUMSTANCES = (Circumstance.UNACCOMPANIED_CHILD, Circumstance.SEPARATED_CHILD)


class Case(models.Model):
    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    reference = models.CharField(_("case number"), max_length=20, unique=True)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    designated_officer = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text=_("For a child: the officer who consents on the child's behalf."),
    )  # fmt: skip
    is_child = models.BooleanField(_("unaccompanied or separated child"), default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    closed_reason = models.CharField(_("reason for closing"), max_length=200, blank=True)
    key_id = models.CharField(max_length=36, editable=False)
    seeker_person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    seeker_given_name = models.CharField(_("seeker's given name"), max_length=60, blank=True)
    seeker_father_name = models.CharField(_("seeker's father's name"), max_length=60, blank=True)
    seeker_grandfather_name = models.CharField(
        _("seeker's grandfather's name"), max_length=60, blank=True
    )
    seeker_family_name = models.CharField(_("seeker's family name"), max_length=60, blank=True)
    seeker_sex = models.CharField(
        _("seeker's sex"), max_length=1, choices=Person.Sex.choices, blank=True
    )
    seeker_contact_sealed = models.TextField(blank=True)
    notes_sealed = models.TextField(blank=True)
    best_interests_sealed = models.TextField(blank=True)
    best_interests_at = models.DateTimeField(null=True, blank=True)
    best_interests_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "site"])]

    def __str__(self) -> str:
        return self.reference

    def seal(self, text: str) -> str:
        return vault.encrypt(text or "", key_id=self.key_id)

    @staticmethod
    def unseal(token: str) -> str | None:
        """The sealed text, '' when empty, None when the case was erased."""
        return vault.decrypt(token) if token else ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def seeker_names(self) -> str:
        parts = (self.seeker_given_name, self.seeker_father_name, self.seeker_grandfather_name,
                 self.seeker_family_name)  # fmt: skip
        return " ".join(p for p in parts if p)


class Sought(models.Model):
    """One person a case looks for."""

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sought")
    relation = models.CharField(
        _("relation to the seeker"), max_length=10, choices=Relation.choices
    )
    given_name = models.CharField(_("given name"), max_length=60, blank=True)
    father_name = models.CharField(_("father's name"), max_length=60, blank=True)
    grandfather_name = models.CharField(_("grandfather's name"), max_length=60, blank=True)
    family_name = models.CharField(_("family name"), max_length=60, blank=True)
    mother_name = models.CharField(_("mother's name"), max_length=60, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Person.Sex.choices, blank=True)
    birth_year = models.CharField(
        _("birth year or age"), max_length=20, blank=True,
        help_text=_("As given: 1990, ~1990, 1988-1992 or an age."),
    )  # fmt: skip
    governorate = models.CharField(_("governorate of origin"), max_length=60, blank=True)
    last_seen_date = models.DateField(_("last seen on"), null=True, blank=True)
    circumstances_sealed = models.TextField(blank=True)
    marks_sealed = models.TextField(blank=True)
    last_seen_place_sealed = models.TextField(blank=True)
    found_person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["case", "id"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        parts = (self.given_name, self.father_name, self.grandfather_name, self.family_name)
        return " ".join(p for p in parts if p)


class StatusChange(models.Model):
    """A case's history: every status it had, who set it, when and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(max_length=20, choices=Status.choices)
    reason = models.CharField(max_length=200, blank=True)
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.status}"


class Match(models.Model):
    """A registered person (or another case's seeker) proposed for a sought person."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        VERIFYING = "verifying", _("Under verification")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    sought = models.ForeignKey(Sought, on_delete=models.CASCADE, related_name="matches")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    other_case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        help_text=_("The sought person may be searching too: their own case."),
    )  # fmt: skip
    mutual = models.BooleanField(default=False)
    score = models.FloatField()
    reasons = models.JSONField(default=list)  # [[code, part, details], ...]
    state = models.CharField(max_length=10, choices=State.choices, default=State.PROPOSED)
    decided_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-mutual", "-score"]
        constraints = [
            models.UniqueConstraint(fields=["sought", "person"], name="tracing_match_person_once"),
            models.UniqueConstraint(
                fields=["sought", "other_case"], name="tracing_match_case_once"
            ),
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(other_case__isnull=False),
                name="tracing_match_has_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sought_id} {self.state} {self.score:.2f}"


class Verification(models.Model):
    """A question only the family would know, and the answer given (both sealed)."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="verifications")
    question_sealed = models.TextField()
    answer_sealed = models.TextField(blank=True)
    asked_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    asked_at = models.DateTimeField(auto_now_add=True)
    answered_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    consistent = models.BooleanField(null=True)

    def __str__(self) -> str:
        return f"verification {self.pk}"


class Consent(models.Model):
    """The found person's (or, for a child, the designated officer's) agreement to disclose."""

    class Scope(models.TextChoices):
        EXISTENCE = "existence", _("that they were found, alive and safe")
        CONTACT = "contact", _("how to contact them")
        LOCATION = "location", _("where they are")

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="consents")
    given_by = models.CharField(_("who consented"), max_length=120)
    on_behalf_of_child = models.BooleanField(default=False)
    scopes = models.JSONField(_("what may be disclosed"), default=list)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"consent {self.pk} by {self.given_by}"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def scope_labels(self) -> str:
        labels = dict(self.Scope.choices)
        return ", ".join(str(labels.get(scope, scope)) for scope in self.scopes)


class ExportSwitch(models.Model):
    """Exports of tracing data are off until an administrator turns them on (one row)."""

    enabled = models.BooleanField(default=False)
    changed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return "on" if self.enabled else "off"


class BatchList(models.Model):
    """A partner agency's list of sought people (CSV or XLSX), matched against the registry.
    The list's candidates are sealed with the batch's own key; deleting the key erases them."""

    class State(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    filename = models.CharField(max_length=200)
    key_id = models.CharField(max_length=36, editable=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.RUNNING)
    progress = models.FloatField(default=0.0)
    rows = models.PositiveIntegerField(default=0)
    matched = models.PositiveIntegerField(default=0)
    malformed = models.JSONField(default=list)  # [[line, message], ...]
    results_sealed = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename
