from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NamesConfig(AppConfig):
    name = "mawa.names"
    label = "names"
    verbose_name = _("Names and duplicates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from mawa.names import receivers  # noqa: F401, PLC0415 (connect receivers once apps load)
