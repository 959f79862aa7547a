"""Field nodes and the event log that carries changes between them and headquarters.

Every database (headquarters and each field laptop) has one `ThisDatabase` row saying who it
is. Changes travel as `Event`s: a UUIDv7 id, the origin's id, the destination's id and a
sequence number per (origin, destination) stream, so the receiver can tell exactly what it has
(contiguous up to `PeerState.received_upto`) and the sender resends from the last number
acknowledged. Events are never deleted or edited; receiving one twice is a no-op.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from mawa.assistance.models import Cycle, StockLocation
from mawa.core import sync
from mawa.core.ids import new_id
from mawa.core.models import Site, User


class ThisDatabase(models.Model):
    """Who this database is: headquarters, or a field node (with its key to headquarters)."""

    class Kind(models.TextChoices):
        HEADQUARTERS = "hq", _("Headquarters")
        NODE = "node", _("Field node")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    kind = models.CharField(max_length=4, choices=Kind.choices)
    name = models.CharField(max_length=80)
    headquarters_id = models.UUIDField(null=True, blank=True)
    headquarters_url = models.URLField(blank=True)
    key = models.BinaryField(null=True, blank=True)  # a node's key shared with headquarters
    clock = models.BigIntegerField(default=0)  # the last hybrid logical time given out
    roles = models.JSONField(default=list, blank=True)  # a node's roles (mawa.core.sync.ROLES)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class Node(models.Model):
    """A field node as headquarters knows it: what it serves, its key, whether it may sync."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        REVOKED = "revoked", _("Revoked")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    name = models.CharField(_("name"), max_length=80, unique=True)
    # What the node does (mawa.core.sync.ROLES: distribution, office, ...); each role brings
    # its kinds of events, its pages and its part of the manifest.
    roles = models.JSONField(_("roles"), default=list)
    sites = models.ManyToManyField(Site, related_name="+", verbose_name=_("sites"))
    cycles = models.ManyToManyField(Cycle, related_name="+", verbose_name=_("cycles"), blank=True)
    points = models.ManyToManyField(
        StockLocation, related_name="+", verbose_name=_("distribution points"), blank=True
    )
    users = models.ManyToManyField(User, related_name="+", verbose_name=_("users"))
    key = models.BinaryField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    last_sync_at = models.DateTimeField(null=True, blank=True)
    changes_upto = models.BigIntegerField(default=0)  # headquarters' change feed read up to
    full_at = models.DateTimeField(null=True, blank=True)  # its manifest last recomputed whole

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def role_labels(self) -> list[str]:
        return [str(sync.ROLES[r].label) if r in sync.ROLES else r for r in self.roles]


class Event(models.Model):
    id = models.UUIDField(primary_key=True, editable=False)
    origin = models.UUIDField()
    destination = models.UUIDField()
    seq = models.BigIntegerField()
    kind = models.CharField(max_length=30)
    clock = models.BigIntegerField()  # hybrid logical time at the origin
    payload = models.JSONField()
    received_at = models.DateTimeField(null=True, blank=True)  # None: written here

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["origin", "destination", "seq"], name="one_event_a_sequence_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.origin}#{self.seq}"


class PeerState(models.Model):
    """What this database knows of one peer's stream and of what the peer has of ours."""

    peer = models.UUIDField(primary_key=True)
    received_upto = models.BigIntegerField(default=0)  # every seq ≤ this is here
    acknowledged_upto = models.BigIntegerField(default=0)  # the peer has all of ours ≤ this
    last_contact_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.peer} ≤{self.received_upto} / ≤{self.acknowledged_upto}"


class ManifestDigest(models.Model):
    """Headquarters' record of each manifest row it has sent a node, to send only changes."""

    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)  # "model:pk"
    digest = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["node", "key"], name="one_digest_a_manifest_row")
        ]

    def __str__(self) -> str:
        return self.key


class Change(models.Model):
    """One row of headquarters' change feed (`mawa.field.changes`): a manifest row that was
    written or deleted. Written by database triggers, read by bundles, pruned once every
    active node has read it."""

    id = models.BigAutoField(primary_key=True)
    label = models.CharField(max_length=60)
    record = models.CharField(max_length=64)
    at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.label}:{self.record}"


class FieldStamp(models.Model):
    """The hybrid logical time of the write that set one field of one record here.

    Edits of the same person at two places merge field by field: the later time (then the
    place's id) wins each field, whatever order the edits arrive in."""

    record = models.UUIDField()
    field = models.CharField(max_length=40)
    clock = models.BigIntegerField()
    origin = models.UUIDField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record", "field"], name="one_stamp_a_field")
        ]

    def __str__(self) -> str:
        return f"{self.record}.{self.field}@{self.clock}"


class FieldHistory(models.Model):
    """A value a field held or was sent but lost to a later write: kept, never silently lost."""

    record = models.UUIDField(db_index=True)
    field = models.CharField(max_length=40)
    value = models.JSONField(null=True)
    clock = models.BigIntegerField()
    origin = models.UUIDField()
    lost_to = models.BigIntegerField()  # the clock of the write that won
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "field histories"

    def __str__(self) -> str:
        return f"{self.record}.{self.field}@{self.clock}"
