from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "mawa.core"
    label = "core"
    verbose_name = _("Core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        import_module(f"{self.name}.signals")  # connect the signal receivers
        import_module(f"{self.name}.checks")  # register the secret-key check (check --deploy)
        import_module(f"{self.name}.node_parts")  # what field nodes carry (mawa.core.sync)
