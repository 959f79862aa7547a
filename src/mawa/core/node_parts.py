"""Core's part of what a field node holds (mawa.core.sync): its sites, their administrative
areas, and the users who may log in on it (with their password hashes, so they can log in
offline; an administrator of all sites is never copied as such: on the node a user sees the
node's sites)."""

from mawa.core import sync
from mawa.core.models import AdminArea, Site, User

EVERY_ROLE = frozenset({"distribution", "office", "help_desk", "survey"})


def _areas(scope: sync.Scope):
    """The sites' areas and every area above them."""
    areas: set = set()
    frontier = set(Site.objects.filter(pk__in=scope.site_ids()).values_list("area_id", flat=True))
    while frontier:
        areas |= frontier
        frontier = (
            set(
                AdminArea.objects.filter(pk__in=frontier, parent__isnull=False).values_list(
                    "parent_id", flat=True
                )
            )
            - areas
        )
    return AdminArea.objects.filter(pk__in=areas)


for part in (
    sync.Part(
        AdminArea,
        ("name_en", "name_ar", "name_ckb", "pcode", "level", "parent", "illustrative"),
        _areas,
        EVERY_ROLE,
        10,
    ),
    sync.Part(
        Site,
        ("name_en", "name_ar", "name_ckb", "code", "kind", "area", "is_active"),
        lambda scope: Site.objects.filter(pk__in=scope.site_ids()),
        EVERY_ROLE,
        20,
    ),
    sync.Part(
        User,
        ("username", "password", "first_name", "last_name", "is_active", "role", "language"),
        lambda scope: User.objects.filter(pk__in=scope.users, is_active=True),
        EVERY_ROLE,
        30,
        m2m=("sites", Site),
    ),
):
    sync.register_part(part)

sync.node_pages(
    "login", "logout", "language_set", "api:api-root", "api:openapi-json", "api:openapi-view"
)
sync.node_closed("core:audit_list", "core:audit_export")
