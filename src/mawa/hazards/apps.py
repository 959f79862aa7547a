from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mawa.core.roles import Role, grant

VIEW_HAZARDS = "view_hazards"
EDIT_HAZARDS = "edit_hazards"


class HazardsConfig(AppConfig):
    name = "mawa.hazards"
    label = "hazards"
    verbose_name = _("Buildings and explosive hazards")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Hazard data saves lives: every logged-in role sees it; mine-action coordinators edit.
        grant(VIEW_HAZARDS, *Role.values)
        grant(EDIT_HAZARDS, Role.MINE_ACTION)
