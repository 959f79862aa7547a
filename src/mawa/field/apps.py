from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mawa.core import sync


class FieldConfig(AppConfig):
    name = "mawa.field"
    label = "field"
    verbose_name = _("Field nodes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        services = import_module(f"{self.name}.services")
        # Turn the apps' changes into events on a node (mawa.core.sync.emit and edited).
        sync.install(
            emit=services.node_events,
            edited=services.edited,
            is_node=services.is_node,
            roles=services.node_roles,
        )
        sync.node_pages("api:field_sync")
        sync.node_closed("field:node_list", "field:node_create", "field:node_revoke")
