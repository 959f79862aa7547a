"""Roles and what each may do. One table, read by views, the API and the permission tests.

A user has one role and a set of sites. The role says what kind of work they do; the sites say
where. Viewers see aggregate figures only, never a person's record: collect and show the minimum.

Apps above core add their own capabilities by registering them in their `AppConfig.ready`
(`grant("trace", Role.PROTECTION)`), as Django's admin registers models: core never names them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    CLERK = "clerk", _("Registration clerk")
    CAMP_MANAGER = "camp_manager", _("Camp manager")
    DISTRIBUTION = "distribution", _("Distribution operator")
    PROTECTION = "protection", _("Protection officer")
    HELP_DESK = "help_desk", _("Help desk (complaints and feedback)")
    FOCAL_POINT = "focal_point", _("PSEA focal point")
    MINE_ACTION = "mine_action", _("Mine-action coordinator")
    VIEWER = "viewer", _("Viewer")


class Capability(models.TextChoices):
    VIEW_DASHBOARD = "view_dashboard"
    VIEW_PEOPLE = "view_people"
    REGISTER = "register"
    EDIT_HOUSEHOLD = "edit_household"
    MANAGE_SHELTER = "manage_shelter"
    RECORD_MOVEMENT = "record_movement"
    IMPORT = "import"
    EXPORT = "export"
    MANAGE_SITES = "manage_sites"
    VIEW_AUDIT = "view_audit"
    REVIEW_DUPLICATES = "review_duplicates"
    RUN_DEDUP = "run_dedup"
    DISTRIBUTE = "distribute"
    MANAGE_ASSISTANCE = "manage_assistance"
    MANAGE_NODES = "manage_nodes"  # field nodes: packages carry data off the server
    VIEW_PROTECTION = "view_protection"  # protection-sensitive specific needs (SV, SC, WR...)
    RECORD_CONSENT = "record_consent"  # a person's consent, per purpose, and its withdrawal


_ALL = set(Capability)  # a copy: grant() adds to it
_FIELD = {Capability.VIEW_DASHBOARD, Capability.VIEW_PEOPLE}

CAPABILITIES: dict[str, set[str]] = {
    Role.ADMINISTRATOR: _ALL,
    Role.CAMP_MANAGER: _FIELD
    | {
        Capability.REGISTER,
        Capability.EDIT_HOUSEHOLD,
        Capability.MANAGE_SHELTER,
        Capability.RECORD_MOVEMENT,
        Capability.IMPORT,
        Capability.EXPORT,
        Capability.REVIEW_DUPLICATES,
        Capability.DISTRIBUTE,
        Capability.MANAGE_ASSISTANCE,
        Capability.RECORD_CONSENT,
    },
    Role.CLERK: _FIELD
    | {Capability.REGISTER, Capability.EDIT_HOUSEHOLD, Capability.RECORD_CONSENT},
    Role.DISTRIBUTION: _FIELD | {Capability.DISTRIBUTE},
    Role.PROTECTION: _FIELD
    | {Capability.REVIEW_DUPLICATES, Capability.VIEW_PROTECTION, Capability.RECORD_CONSENT},
    Role.HELP_DESK: {Capability.VIEW_DASHBOARD},
    Role.FOCAL_POINT: {Capability.VIEW_DASHBOARD},
    Role.MINE_ACTION: {Capability.VIEW_DASHBOARD},
    Role.VIEWER: {Capability.VIEW_DASHBOARD},
}


def grant(capability: str, *roles: str) -> None:
    """Give `roles` a capability (administrators have every capability ever granted). Called by
    an app's `AppConfig.ready` for the capabilities it adds; granting twice changes nothing."""
    CAPABILITIES[Role.ADMINISTRATOR].add(capability)
    for role in roles:
        CAPABILITIES[role].add(capability)


def role_can(role: str, capability: str) -> bool:
    return capability in CAPABILITIES.get(role, set())
