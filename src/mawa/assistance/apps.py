from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "mawa.assistance"
    label = "assistance"
    verbose_name = _("Assistance")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        import_module(f"{self.name}.needs")  # which specific needs operators see
        import_module(f"{self.name}.sync")  # what field nodes carry (mawa.core.sync)
        import_module(f"{self.name}.receivers")  # connect the signal receivers
