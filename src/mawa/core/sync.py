"""What field nodes carry, declared by the apps that own the data.

`mawa.field` moves events between headquarters and field nodes (sealed bundles, sequence
numbers, acknowledgements, the hybrid logical clock), but it knows no app's models. Each app
registers, in its `AppConfig.ready`, as Django's admin registers models:

- **node roles** it brings (`register_role`): a node is described by what it does
  (distribution point, camp office, help desk, survey team), and each role brings its kinds,
  its pages and its part of the manifest;
- **kinds** of events (`register_kind`): how headquarters checks a node's payloads against the
  node's scope (`check`) and applies them (`apply`: idempotent, commutative where two places
  can write); the app sends them from its services with `emit` inside the change's transaction;
- **merged records** (`register_merged`): models whose fields two places may edit, merged field
  by field by the time of each write, the losing values kept (`edited` records a write);
- **manifest parts** (`register_part`): which of its rows a node of a role holds, and which
  fields of them;
- **node pages** (`node_pages` / `node_closed`): every URL name is declared open on nodes of
  some roles (its writes travel) or closed; an undeclared page is closed (default-deny), and a
  test walks every URL name and fails on an undeclared one;
- **hashed tables** (`register_hashed`): what the reliability tests' data hash covers.

This module is plain registration: it imports no app, and an app that registers imports only
core. The field app installs the recorder that turns `emit` and `edited` into events on a node
(`install`); without it (headquarters, or a database that was never a node) they do nothing.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.functional import Promise


@dataclass(frozen=True)
class Scope:
    """What one node serves: headquarters checks what it sends, and chooses what it gets."""

    node: str
    name: str
    roles: frozenset[str]
    sites: frozenset[str]
    cycles: frozenset[str] = frozenset()
    points: frozenset[str] = frozenset()
    users: frozenset = frozenset()  # the users who may log in on the node

    def site_ids(self) -> list[str]:
        return sorted(self.sites)


@dataclass(frozen=True)
class NodeRole:
    name: str
    label: str | Promise
    needs: tuple[str, ...] = ("sites",)  # which of sites, cycles, points a node must be given


@dataclass(frozen=True)
class Kind:
    """A kind of event a node sends to headquarters.

    `apply(payloads, scope)` stores them at headquarters: idempotent (a payload applied twice
    changes nothing the second time) and, where two places can write the same thing,
    commutative. `check(payloads, scope)` answers whether every payload is inside what the node
    serves; one outside refuses the whole bundle. `rank` orders kinds within a bundle (lower
    first: a household before the redemptions that refer to it)."""

    name: str
    roles: frozenset[str]
    apply: Callable[[list[dict], Scope], object]
    check: Callable[[list[dict], Scope], bool] | None = None
    rank: int = 50


@dataclass(frozen=True)
class Merged:
    """A model whose `fields` two places may edit. `values(obj, names)` reads them as JSON-able
    values, `write(obj, values)` sets them (and saves), `in_scope(ids, scope)` tells which of
    these records a node may change, `load(id)` fetches a record (None if gone), and `roles`
    are the node roles that may edit it."""

    label: str
    roles: frozenset[str]
    fields: frozenset[str]
    load: Callable[[object], object]
    values: Callable[[object, Iterable[str]], dict]
    write: Callable[[object, dict], None]
    in_scope: Callable[[list[str], Scope], set[str]]


@dataclass(frozen=True)
class Part:
    """Rows of one model that nodes of `roles` hold: `rows(scope)` is a queryset of them and
    `fields` the fields sent (attnames are read). `rank` orders parts (parents first).
    `on_node(model, objects, rows, keep)` replaces the plain upsert on the node where a row
    needs more (a redemption placed as first or double); `m2m` = (field name, related model) sends a
    many-to-many as a list of the related ids within the node's sites. `follows` names the
    paths to parent rows (`household`, `person__household`) whose change may take these rows
    in or out of a node's scope (a household moved to another site takes its members)."""

    model: type
    fields: tuple[str, ...]
    rows: Callable[[Scope], object]
    roles: frozenset[str]
    rank: int
    on_node: Callable | None = None
    m2m: tuple[str, type] | None = None
    follows: tuple[str, ...] = ()  # paths to parents: a parent's change re-reads these rows


ROLES: dict[str, NodeRole] = {}
KINDS: dict[str, Kind] = {}
ALIASES: dict[str, str] = {}
MERGED: dict[str, Merged] = {}
PARTS: list[Part] = []
HASHED: list[tuple[type, tuple[str, ...]]] = []
# URL name -> (roles it is open to, or None for every node; HTTP methods, or None for all)
PAGES: dict[str, tuple[frozenset[str] | None, frozenset[str] | None]] = {}
CLOSED: set[str] = set()


def register_role(name: str, label, *, needs: Iterable[str] = ("sites",)) -> None:
    ROLES[name] = NodeRole(name, label, tuple(needs))


def register_kind(kind: Kind, *, aliases: Iterable[str] = ()) -> None:
    KINDS[kind.name] = kind
    for alias in aliases:
        ALIASES[alias] = kind.name


def register_merged(merged: Merged) -> None:
    MERGED[merged.label] = merged


def register_part(part: Part) -> None:
    PARTS.append(part)
    PARTS.sort(key=lambda p: p.rank)


def register_hashed(model, fields: Iterable[str]) -> None:
    HASHED.append((model, tuple(fields)))


def node_pages(*names: str, roles: Iterable[str] | None = None, methods=None) -> None:
    """These URL names work on a node (of `roles`, or of any role): what they write travels."""
    for name in names:
        PAGES[name] = (
            frozenset(roles) if roles is not None else None,
            frozenset(m.upper() for m in methods) if methods else None,
        )


def node_closed(*names: str) -> None:
    """These URL names are closed on every node (headquarters' work, or writes that do not
    travel): declared so that the walk over every URL name knows they were thought about."""
    CLOSED.update(names)


def page_open(name: str, method: str, roles: Iterable[str]) -> bool:
    found = PAGES.get(name)
    if found is None:
        return False
    allowed_roles, methods = found
    if (
        methods is not None
        and method.upper() not in methods
        and method.upper()
        not in (
            "HEAD",
            "OPTIONS",
        )
    ):
        return False
    return allowed_roles is None or bool(allowed_roles & set(roles))


def kinds_for(roles: Iterable[str]) -> set[str]:
    """The kinds a node of these roles may send ("*": a kind every node may send)."""
    roles = set(roles) | {"*"}
    return {name for name, kind in KINDS.items() if kind.roles & roles}


def parts_for(roles: Iterable[str]) -> list[Part]:
    roles = set(roles)
    return [part for part in PARTS if part.roles & roles]


# --- recording changes --------------------------------------------------------------------------


@dataclass
class _Recorder:
    emit: Callable[[Callable[[], list[tuple[str, dict]]]], None] = lambda changes: None
    edited: Callable[[str, object, dict], None] = lambda label, obj, changes: None
    is_node: Callable[[], bool] = lambda: False
    roles: Callable[[], frozenset[str]] = lambda: frozenset()
    extra: dict = field(default_factory=dict)


_recorder = _Recorder()


def install(**functions) -> None:
    """The field app installs what turns changes into events (once, in its ready())."""
    for name, function in functions.items():
        setattr(_recorder, name, function)


def emit(changes: Callable[[], list[tuple[str, dict]]]) -> None:
    """Changes made here, as [(kind, payload)], built only when this database is a node.
    Call inside the transaction that made them: the event commits or rolls back with them."""
    _recorder.emit(changes)


def edited(label: str, obj, changes: dict) -> None:
    """Fields of a merged record written here ({field: [old, new]}): stamped with the time of
    the write, and on a node sent to headquarters."""
    if label in MERGED and changes:
        _recorder.edited(label, obj, changes)


def is_node() -> bool:
    return _recorder.is_node()


def node_roles() -> frozenset[str]:
    """The roles of this node (empty at headquarters)."""
    return _recorder.roles()
