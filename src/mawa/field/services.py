"""Field-node operations: packages, events, bundles, ingestion, revocation.

A bundle is all-or-nothing: it is applied and its events stored in one transaction, so a sync
cut off anywhere (a killed process, a half-copied file, a dropped link) leaves the receiver as
it was before that bundle, and the sender, which forgets nothing until it is acknowledged,
sends it again. Events already here are skipped by (origin, destination, seq), so a bundle
delivered twice or out of order changes nothing the second time.
"""

import hashlib
import json
import os
import time
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mawa.core import sync
from mawa.core.audit import audit_record
from mawa.core.bulk import rows_insert
from mawa.core.ids import new_id
from mawa.core.models import AuditEvent, User
from mawa.field import changes, clock, crypto, manifest, merge
from mawa.field.faults import fault
from mawa.field.models import Event, ManifestDigest, Node, PeerState, ThisDatabase

BUNDLE_FORMAT = "mawa-bundle/1"
PACKAGE_FORMAT = "mawa-package/1"
ROWS_PER_EVENT = 500
EVENTS_PER_BUNDLE = 5000


EVENT_COLUMNS = ["id", "origin", "destination", "seq", "kind", "clock", "payload", "received_at"]


class SyncError(Exception):
    """A package or bundle was refused; the message is for the user, nothing was written."""


# --- who this database is -----------------------------------------------------------------------

_identities: dict[str, tuple] = {}
NOT_A_NODE_SECONDS = 10


def this_database() -> ThisDatabase:
    """This database's identity; a database that was never made a node is headquarters."""
    me = ThisDatabase.objects.first()
    if me is None:
        me, _created = ThisDatabase.objects.get_or_create(
            kind=ThisDatabase.Kind.HEADQUARTERS, defaults={"name": "headquarters"}
        )
    return me


def _node_identity() -> tuple | None:
    """(this node's id, its headquarters' id), or None at headquarters. Asked on every
    redemption: a node's answer is kept per database file (a node stays a node); "not a node"
    is kept for NOT_A_NODE_SECONDS only, so a server started before `mawa node init` ran in
    another process records events from its first redemption after that (a node is made
    before its first distribution, not during one)."""
    name = str(connection.settings_dict["NAME"])
    known = _identities.get(name)
    if known is not None and (known[0] is not None or time.monotonic() < known[1]):
        return known if known[0] is not None else None
    row = (
        ThisDatabase.objects.filter(kind=ThisDatabase.Kind.NODE)
        .values_list("pk", "headquarters_id", "roles")
        .first()
    )
    if row is None:
        _identities[name] = (None, time.monotonic() + NOT_A_NODE_SECONDS)
        return None
    _identities[name] = (row[0], row[1], frozenset(row[2] or ()))
    return _identities[name]


def is_node() -> bool:
    return _node_identity() is not None


def node_roles() -> frozenset[str]:
    identity = _node_identity()
    return identity[2] if identity is not None else frozenset()


def forget_identity() -> None:
    _identities.clear()


# --- events -------------------------------------------------------------------------------------


def _last_seq(origin, destination) -> int:
    """The number of the last event from `origin` to `destination` (0 before the first)."""
    return (
        Event.objects.filter(origin=origin, destination=destination)
        .order_by("-seq")
        .values_list("seq", flat=True)
        .first()
    ) or 0


@transaction.atomic(savepoint=False)  # inside the change's own transaction: no savepoint needed
def events_append(*, destination, changes: list[tuple[str, dict]]) -> list[Event]:
    """Record changes for a peer, numbered in order. Call inside the transaction that made
    them: the clock row's update also serialises writers, so numbers never clash."""
    origin, times = _clock_advance(len(changes))
    last = _last_seq(origin, destination)
    return Event.objects.bulk_create(
        Event(
            id=new_id(),
            origin=origin,
            destination=destination,
            seq=last + offset,
            kind=kind,
            clock=at,
            payload=payload,
        )
        for offset, ((kind, payload), at) in enumerate(zip(changes, times, strict=True), start=1)
    )


def _clock_advance(count: int) -> tuple:
    """This database's id and its next `count` hybrid logical times, the clock row locked
    until the caller's transaction ends (so two writers never share a time or a number)."""
    origin, last = ThisDatabase.objects.select_for_update().values_list("pk", "clock").get()
    now, times = clock.wall(), []
    for _step in range(count):
        last = clock.tick(last, now)
        times.append(last)
    ThisDatabase.objects.filter(pk=origin).update(clock=last)
    return origin, times


def event_append(*, destination, kind: str, payload: dict) -> Event:
    return events_append(destination=destination, changes=[(kind, payload)])[0]


def node_events(changes) -> None:
    """On a node, record the changes `changes()` lists for headquarters; elsewhere nothing,
    and the payloads are not even built (the signals fire on every redemption at
    headquarters too)."""
    identity = _node_identity()
    if identity is not None:
        events_append(destination=identity[1], changes=changes())


def edited(label: str, obj, changes: dict) -> None:
    """Fields of a merged record written here (`changes` is {field: [old, new]} as the audit
    log has it; values are read from the record): stamped for merging; on a node, an event."""
    merged = sync.MERGED[label]
    names = [name for name in changes if name in merged.fields]
    if not names:
        return
    values = merged.values(obj, names)
    olds = {name: (_json(changes[name][0]), values[name]) for name in names}
    identity = _node_identity()
    if identity is not None:
        [event] = events_append(
            destination=identity[1],
            changes=[("edit", {"m": label, "record": str(obj.pk), "fields": values})],
        )
        merge.stamp_local(record_id=obj.pk, changes=olds, clock=event.clock, origin=identity[0])
        return
    if not Node.objects.exists():
        return  # no node can send an edit to merge with: no stamps, no lock on the clock row
    this_database()  # headquarters' identity row, made on first use
    origin, [at] = _clock_advance(1)
    merge.stamp_local(record_id=obj.pk, changes=olds, clock=at, origin=origin)


def _json(value):
    """An old value as the history keeps it (the audit log's strings, ids as text)."""
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _edits_apply(payloads: list[dict], scope: sync.Scope) -> None:
    """Edits from a node: applied for records the node may change (the model's `in_scope`
    and roles), every other value kept in history, not applied."""
    by_label: dict[str, list[dict]] = {}
    for payload in payloads:
        by_label.setdefault(merge.edit_parts(payload)[0], []).append(payload)
    for label, edits in by_label.items():
        merged = sync.MERGED.get(label)
        if merged is None:
            raise SyncError(
                _("The node sent a kind of record headquarters does not know (%(kind)s).")
                % {"kind": label}
            )
        ids = [merge.edit_parts(e)[1] for e in edits]
        allowed = merged.in_scope(ids, scope) if merged.roles & scope.roles else set()
        inside = [e for e in edits if merge.edit_parts(e)[1] in allowed]
        outside = [e for e in edits if merge.edit_parts(e)[1] not in allowed]
        merge.edits_refused(outside, origin=scope.node, clocks=[e["__clock"] for e in outside])
        merge.edits_apply(inside, origin=scope.node, clocks=[e["__clock"] for e in inside])
        # Send the merged rows back even where headquarters' value won (the row did not
        # change, so the feed must be told).
        ManifestDigest.objects.filter(
            node_id=scope.node,
            key__in=[f"{label}:{merge.edit_parts(e)[1]}" for e in inside],
        ).delete()
        changes.touch(label, [merge.edit_parts(e)[1] for e in inside])


sync.register_kind(
    sync.Kind(
        name="edit",
        roles=frozenset({"*"}),
        apply=_edits_apply,
        rank=20,  # after registrations (10), before what reads the edited records
    ),
    aliases=["person"],
)


# --- packages -----------------------------------------------------------------------------------


def node_create(
    *, actor: User, name: str, sites, cycles=(), points=(), users, roles=("distribution",)
) -> Node:
    unknown = set(roles) - set(sync.ROLES)
    if not roles or unknown:
        raise SyncError(_("Choose what the node does."))
    node = Node.objects.create(
        name=name, key=crypto.new_key(), created_by=actor, roles=sorted(set(roles))
    )
    node.sites.set(sites)
    node.cycles.set(cycles)
    node.points.set(points)
    node.users.set(users)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=node)
    return node


@transaction.atomic
def package_make(*, actor: User, node: Node, passphrase: str, url: str = "") -> bytes:
    """Everything a laptop needs to become the node, sealed with the passphrase."""
    if node.status != Node.Status.ACTIVE:
        raise SyncError(_("This node was revoked."))
    if len(passphrase) < 10:
        raise SyncError(_("The passphrase must be at least 10 characters long."))
    hq = this_database()
    if ManifestDigest.objects.filter(node=node).exists():
        # Two laptops with one identity would send clashing sequence numbers.
        raise SyncError(_("A package was already made for this node; create a new node."))
    PeerState.objects.get_or_create(peer=node.pk)
    rows = manifest.manifest_changes(node, full=True)
    body = {
        "node": {
            "id": str(node.pk),
            "name": node.name,
            "key": bytes(node.key).hex(),
            "roles": list(node.roles),
        },
        "headquarters": {"id": str(hq.pk), "name": hq.name, "url": url},
        "rows": rows,
    }
    header = {"format": PACKAGE_FORMAT, "node": str(node.pk), "name": node.name}
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        obj=node,
        summary={"package_rows": len(rows)},
    )
    return crypto.seal_with_passphrase(passphrase, header, json.dumps(body).encode())


def node_init(blob: bytes, passphrase: str) -> ThisDatabase:
    """Make this (empty, migrated) database the node a package describes."""
    try:
        header, body = crypto.unseal_with_passphrase(blob, passphrase)
    except crypto.SealError as exc:
        raise SyncError(str(exc)) from exc
    if header.get("format") != PACKAGE_FORMAT:
        raise SyncError(_("This is not a Mawa field package."))
    if ThisDatabase.objects.exists():
        raise SyncError(_("This database is already a node or headquarters; use a new one."))
    data = json.loads(body)
    with transaction.atomic():
        me = ThisDatabase.objects.create(
            id=data["node"]["id"],
            kind=ThisDatabase.Kind.NODE,
            name=data["node"]["name"],
            headquarters_id=data["headquarters"]["id"],
            headquarters_url=data["headquarters"]["url"],
            key=bytes.fromhex(data["node"]["key"]),
            clock=clock.wall(),
            roles=data["node"].get("roles", ["distribution"]),
        )
        PeerState.objects.create(peer=me.headquarters_id)
        changes.triggers_remove()  # a node keeps no change feed
        manifest.rows_apply(data["rows"], fresh=True)
    forget_identity()
    return me


@transaction.atomic
def node_revoke(*, actor: User, node: Node) -> Node:
    node.status, node.revoked_at, node.revoked_by = Node.Status.REVOKED, timezone.now(), actor
    node.save(update_fields=["status", "revoked_at", "revoked_by"])
    audit_record(actor=actor, action=AuditEvent.Action.CHANGE, obj=node, summary={"revoked": 1})
    return node


# --- bundles ------------------------------------------------------------------------------------


def _peer_key(me: ThisDatabase, peer) -> tuple[bytes, Node | None]:
    if me.kind == ThisDatabase.Kind.NODE:
        if str(peer) != str(me.headquarters_id):
            raise SyncError(_("A node exchanges bundles with its headquarters only."))
        return bytes(me.key), None
    node = Node.objects.filter(pk=peer).first()
    if node is None:
        raise SyncError(_("This bundle comes from a node headquarters does not know."))
    return bytes(node.key), node


@transaction.atomic
def bundle_make(
    peer=None, *, limit: int = EVENTS_PER_BUNDLE, refresh: bool = True
) -> tuple[bytes, int]:
    """A sealed bundle of what the peer has not acknowledged (from headquarters, unless told
    not to `refresh`, first turn manifest changes into events). Returns the bundle and how
    many events it holds."""
    me = this_database()
    peer = peer or me.headquarters_id
    key, node = _peer_key(me, peer)
    if node is not None and node.status != Node.Status.ACTIVE:
        raise SyncError(_("This node was revoked; nothing is sent to it."))
    if node is not None and refresh:
        rows = manifest.manifest_changes(node)
        if node.changes_upto and node.changes_upto % 50 == 0:
            changes.prune()
        if rows:
            events_append(
                destination=node.pk,
                changes=[
                    ("rows", {"rows": rows[start : start + ROWS_PER_EVENT]})
                    for start in range(0, len(rows), ROWS_PER_EVENT)
                ],
            )
    state, _created = PeerState.objects.get_or_create(peer=peer)
    events = list(
        Event.objects.filter(origin=me.pk, destination=peer, seq__gt=state.acknowledged_upto)
        .order_by("seq")
        .values("id", "seq", "kind", "clock", "payload")[:limit]
    )
    for event in events:
        event["id"] = str(event["id"])
    return bundle_seal(key, me.pk, peer, state.received_upto, events), len(events)


def bundle_seal(key: bytes, origin, destination, ack: int, events: list[dict]) -> bytes:
    """A bundle's bytes: `events` (id, seq, kind, clock, payload) from `origin` to
    `destination`, acknowledging the peer's events up to `ack`, sealed with `key`."""
    header = {
        "format": BUNDLE_FORMAT,
        "from": str(origin),
        "to": str(destination),
        "ack": ack,
        "count": len(events),
        "first": events[0]["seq"] if events else None,
        "last": events[-1]["seq"] if events else None,
        "made_at": timezone.now().isoformat(),
    }
    return crypto.seal(key, header, json.dumps(events).encode())


@dataclass
class IngestReport:
    sender: str
    new: int = 0
    duplicates: int = 0
    received_upto: int = 0
    acknowledged_upto: int = 0
    kinds: dict = field(default_factory=dict)


def _refuse_revoked(node: Node, header: dict) -> None:
    """A revoked node's bundle, authenticated (sealed with its key): the refusal is audited."""
    with transaction.atomic():
        audit_record(
            actor=None,
            action=AuditEvent.Action.CHANGE,
            obj=node,
            summary={"refused_bundle": header.get("count"), "reason": "revoked"},
        )
    raise SyncError(
        _("Node %(name)s was revoked on %(date)s: its bundles are refused.")
        % {"name": node.name, "date": node.revoked_at.date().isoformat()}
    )


def _sender(header: dict) -> uuid.UUID:
    try:
        return uuid.UUID(str(header.get("from")))
    except ValueError as exc:
        raise SyncError(_("This is not a Mawa sync bundle.")) from exc


def bundle_ingest(blob: bytes) -> IngestReport:
    """Apply a peer's bundle here, all or nothing. Nothing is written (not even to the audit
    log) before the bundle is authenticated by its seal."""
    try:
        header = crypto.read_header(blob)
    except crypto.SealError as exc:
        raise SyncError(str(exc)) from exc
    me = this_database()
    if header.get("format") != BUNDLE_FORMAT:
        raise SyncError(_("This is not a Mawa sync bundle."))
    if header.get("to") != str(me.pk):
        raise SyncError(_("This bundle is meant for another place, not this one."))
    sender = _sender(header)
    key, node = _peer_key(me, sender)
    try:
        header, body = crypto.unseal(blob, key)
        events = json.loads(body)
    except (crypto.SealError, ValueError) as exc:
        raise SyncError(str(exc)) from exc
    if node is not None and node.status != Node.Status.ACTIVE:
        _refuse_revoked(node, header)
    try:
        with transaction.atomic():
            report = _ingest(me, sender, node, header, _checked(events))
    except (KeyError, TypeError, ValueError, ValidationError, IntegrityError) as exc:
        raise SyncError(
            _("The bundle holds a record that cannot be applied (%(error)s); nothing was kept.")
            % {"error": exc.__class__.__name__}
        ) from exc
    return report


def _checked(events) -> list[dict]:
    """The events of an authenticated bundle, each of the expected shape."""
    if not isinstance(events, list) or not all(
        isinstance(e, dict)
        and isinstance(e.get("seq"), int)
        and isinstance(e.get("kind"), str)
        and isinstance(e.get("clock"), int)
        and isinstance(e.get("payload"), dict)
        for e in events
    ):
        raise SyncError(_("The bundle is damaged; nothing was kept."))
    return events


def _ingest(me, sender, node, header, events) -> IngestReport:
    state, _created = PeerState.objects.select_for_update().get_or_create(peer=sender)
    seqs = [event["seq"] for event in events]
    have = set(
        Event.objects.filter(origin=sender, destination=me.pk, seq__in=seqs).values_list(
            "seq", flat=True
        )
    )
    report = IngestReport(sender=str(sender))
    latest = me.clock
    stored, by_kind, received_at = [], {}, timezone.now()
    for event in sorted(events, key=lambda e: e["seq"]):
        if event["seq"] in have:
            report.duplicates += 1
            continue
        have.add(event["seq"])
        # Every payload knows the time of its write (edits are merged by it).
        payload = {**event["payload"], "__clock": event["clock"]}
        by_kind.setdefault(sync.ALIASES.get(event["kind"], event["kind"]), []).append(payload)
        latest = clock.merge(latest, event["clock"])
        stored.append(
            (
                uuid.UUID(event["id"]),
                sender,
                me.pk,
                event["seq"],
                event["kind"],
                event["clock"],
                event["payload"],
                received_at,
            )
        )
        report.kinds[event["kind"]] = report.kinds.get(event["kind"], 0) + 1
    report.new = len(stored)
    # The acknowledgement first: a node keeps its unacknowledged edits over headquarters' rows.
    acknowledged = min(int(header.get("ack") or 0), _last_seq(me.pk, sender))
    state.acknowledged_upto = max(state.acknowledged_upto, acknowledged)
    state.save(update_fields=["acknowledged_upto"])
    fault("ingest.event")
    _apply(by_kind, node)
    rows_insert(Event, EVENT_COLUMNS, stored)
    fault("ingest.stored")
    following = Event.objects.filter(
        origin=sender, destination=me.pk, seq__gt=state.received_upto
    ).order_by("seq")
    upto = state.received_upto
    for seq in following.values_list("seq", flat=True).iterator():
        if seq != upto + 1:
            break
        upto = seq
    state.received_upto = upto
    state.last_contact_at = timezone.now()
    state.save()
    if latest != me.clock:
        ThisDatabase.objects.filter(pk=me.pk, clock__lt=latest).update(clock=latest)
    if node is not None:
        Node.objects.filter(pk=node.pk).update(last_sync_at=timezone.now())
    fault("ingest.commit")
    report.received_upto, report.acknowledged_upto = upto, state.acknowledged_upto
    return report


def _pending_fields() -> dict[str, set]:
    """On a node, the fields of merged records edited here that headquarters has not
    acknowledged ({record id: names and attnames}): they keep their local value."""
    identity = _node_identity()
    state = PeerState.objects.filter(peer=identity[1]).first()
    pending: dict[str, set] = {}
    for payload in Event.objects.filter(
        origin=identity[0],
        kind__in=["edit", "person"],
        seq__gt=state.acknowledged_upto if state else 0,
    ).values_list("payload", flat=True):
        _label, record, fields = merge.edit_parts(payload)
        names = pending.setdefault(record, set())
        names.update(fields)
        names.update(f"{name}_id" for name in fields)  # rows carry attnames
    return pending


def _refuse(message) -> None:
    raise SyncError(message)


def _apply(by_kind: dict[str, list[dict]], node: Node | None) -> None:
    if node is None:  # from headquarters to this node
        if set(by_kind) - {"rows"}:
            _refuse(_("Headquarters sent a kind of record this node does not know."))
        keep = _pending_fields()
        for payload in by_kind.get("rows", []):
            manifest.rows_apply(payload["rows"], keep=keep)
        return
    scope = manifest.node_scope(node)
    unknown = sorted(set(by_kind) - set(sync.KINDS))
    if unknown:
        _refuse(
            _(
                "The node sent a kind of record headquarters does not know (%(kinds)s); "
                "nothing was kept."
            )
            % {"kinds": ", ".join(unknown)}
        )
    carried = sync.kinds_for(scope.roles)
    foreign = sorted(set(by_kind) - carried)
    if foreign:
        _refuse(
            _(
                "The node sent %(kinds)s, which a node of its roles does not carry; "
                "nothing was kept."
            )
            % {"kinds": ", ".join(foreign)}
        )
    for kind in sorted((sync.KINDS[name] for name in by_kind), key=lambda k: k.rank):
        payloads = by_kind[kind.name]
        if kind.check is not None and not kind.check(payloads, scope):
            _refuse(_("The bundle holds a record outside what this node serves; nothing was kept."))
        kind.apply(payloads, scope)


# --- files --------------------------------------------------------------------------------------


def file_write(path, blob: bytes) -> None:
    """Write a bundle so that a reader never sees half of it: temporary file, fsync, rename."""
    temporary = f"{path}.part"
    with open(temporary, "wb") as handle:
        fault("file.write", handle, blob)
        handle.write(blob)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def data_hash() -> str:
    """A digest of every table sync carries (as the apps registered them), to compare two
    databases' final state."""
    digest = hashlib.sha256()
    for model, fields in sync.HASHED:
        digest.update(model._meta.label_lower.encode())
        for row in model.objects.order_by("pk").values_list("pk", *fields).iterator():
            digest.update(repr(row).encode())
    return digest.hexdigest()
