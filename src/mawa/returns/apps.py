from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mawa.core.roles import Role, grant

RECORD_RETURN = "record_return"


class ReturnsConfig(AppConfig):
    name = "mawa.returns"
    label = "returns"
    verbose_name = _("Returns")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        grant(RECORD_RETURN, Role.CLERK, Role.CAMP_MANAGER, Role.PROTECTION)
