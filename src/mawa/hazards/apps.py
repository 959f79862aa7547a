from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mawa.core import sync
from mawa.core.roles import Role, grant

VIEW_HAZARDS = "view_hazards"
EDIT_HAZARDS = "edit_hazards"
NODE_CLOSED = (
    "map", "boundaries", "boundaries_upload", "list", "building_new", "building_detail",
    "area_detail", "building_step", "area_step", "building_blocks", "area_blocks", "import",
    "export",
)  # fmt: skip


class HazardsConfig(AppConfig):
    name = "mawa.hazards"
    label = "hazards"
    verbose_name = _("Buildings and explosive hazards")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Hazard data saves lives: every logged-in role sees it; mine-action coordinators edit.
        grant(VIEW_HAZARDS, *Role.values)
        grant(EDIT_HAZARDS, Role.MINE_ACTION)
        # Field nodes carry no hazard data yet (recording surveys offline waits for the field
        # sync kinds): every hazard page is closed on nodes (mawa.core.sync's default-deny).
        sync.node_closed(*(f"hazards:{name}" for name in NODE_CLOSED), "api:map_features")
