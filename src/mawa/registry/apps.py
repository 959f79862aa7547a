from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "mawa.registry"
    label = "registry"
    verbose_name = _("Registry")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        import_module(f"{self.name}.scopes")  # which audit events and needs each user sees
        import_module(f"{self.name}.sync")  # what field nodes carry (mawa.core.sync)
