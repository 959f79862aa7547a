from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NamesConfig(AppConfig):
    name = "mawa.names"
    label = "names"
    verbose_name = _("Names and duplicates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        import_module(f"{self.name}.receivers")  # connect the signal receivers
        import_module(f"{self.name}.scopes")  # which audit events are about which sites
        import_module(f"{self.name}.sync")  # what field nodes carry (mawa.core.sync)
