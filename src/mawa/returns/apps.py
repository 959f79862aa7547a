from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mawa.core import sync
from mawa.core.roles import Role, grant

RECORD_RETURN = "record_return"


class ReturnsConfig(AppConfig):
    name = "mawa.returns"
    label = "returns"
    verbose_name = _("Returns")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        grant(RECORD_RETURN, Role.CLERK, Role.CAMP_MANAGER, Role.PROTECTION)
        # Return intentions do not travel to or from field nodes yet: closed there.
        sync.node_closed(
            "returns:household", "returns:intention_record", "returns:stats",
            "returns:stats_csv", "returns:priority", "returns:priority_geojson",
        )  # fmt: skip
        # the map's layer of return intentions (counts per cell, for roles that see people)
        # (imported now: their modules need the models loaded)
        mapdata = import_module("mawa.hazards.mapdata")
        views = import_module("mawa.hazards.views")
        maplayer = import_module(f"{self.name}.maplayer")
        models = import_module(f"{self.name}.models")
        mapdata.register_layer("returns", maplayer.returns_layer)
        views.PAGE_LAYERS.append(("returns", _("Return intentions"), "view_people"))
        views.INTENTIONS.extend(models.ReturnIntention.Intends.choices)
