from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldConfig(AppConfig):
    name = "mawa.field"
    label = "field"
    verbose_name = _("Field nodes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        import_module(f"{self.name}.receivers")  # connect the signal receivers
