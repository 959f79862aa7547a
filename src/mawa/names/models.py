"""Candidate duplicate pairs, the decisions taken on them, batch runs, and reversible merges."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mawa.core.ids import new_id
from mawa.core.models import User
from mawa.registry.models import Person


class DedupRun(models.Model):
    """One batch de-duplication over the registry; its progress is polled by the page."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    started_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    progress = models.FloatField(default=0)
    stage = models.CharField(max_length=120, blank=True)
    cancel_requested = models.BooleanField(default=False)
    records = models.PositiveIntegerField(default=0)
    pairs_found = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"run {self.started_at:%Y-%m-%d %H:%M} {self.status}"


class CandidatePair(models.Model):
    """Two person records that may be one person. `person_a` has the smaller id, so a pair is
    stored once whichever way it was found; a 'different' decision is remembered for good."""

    class Source(models.TextChoices):
        REGISTRATION = "registration", _("Registration check")
        BATCH = "batch", _("Batch run")

    class Status(models.TextChoices):
        OPEN = "open", _("To review")
        LINKED = "linked", _("Clerk says same person")
        UNSURE = "unsure", _("Unsure (escalated)")
        SAME = "same", _("Same person (merged)")
        DIFFERENT = "different", _("Different people")

    OPEN_STATUSES = (Status.OPEN, Status.LINKED, Status.UNSURE)

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField()
    reasons = models.JSONField(default=list)
    source = models.CharField(max_length=15, choices=Source.choices)
    run = models.ForeignKey(DedupRun, on_delete=models.SET_NULL, null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-probability"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="pair_once"),
            models.CheckConstraint(
                condition=Q(person_a__lt=models.F("person_b")), name="pair_order"
            ),
        ]
        indexes = [models.Index(fields=["status", "-probability"], name="pair_queue")]

    def __str__(self) -> str:
        return f"{self.person_a_id} ~ {self.person_b_id} ({self.status})"


class Merge(models.Model):
    """Person `merged` was found to be `kept`. Nothing is deleted: the merged record is hidden
    from lists, counts and search, its fields are kept here as they were, and undoing the merge
    restores it exactly."""

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    pair = models.ForeignKey(CandidatePair, on_delete=models.PROTECT, related_name="merges")
    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    provenance = models.JSONField(default=dict)
    merged_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)
    reversed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reversed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.merged_id} -> {self.kept_id}"


class Disclosure(models.Model):
    """One time the duplicate check told a user that a possible match is registered at a site
    outside theirs. The user's page carries only this row's id (never the person's), so that a
    'flag' or 'link' choice can still name the person on the server; the rows also count each
    user's disclosures per hour (settings.MAWA_DISCLOSURES_PER_HOUR)."""

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["user", "at"], name="disclosure_user_at")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.at:%Y-%m-%d %H:%M}"
