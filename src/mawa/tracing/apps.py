from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mawa.core.roles import Role, grant


class TracingConfig(AppConfig):
    name = "mawa.tracing"
    label = "tracing"
    verbose_name = _("Family tracing")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        import_module(f"{self.name}.receivers")  # re-match open cases on registrations
        import_module(f"{self.name}.sync")  # closed on field nodes (mawa.core.sync)
        grant(TRACE, Role.PROTECTION)
        grant(TRACE_EXPORT)  # administrators only


TRACE = "trace"  # record, match and follow tracing cases
TRACE_EXPORT = "trace_export"  # export cases (pseudonymised unless asked otherwise)
