from importlib import import_module

from django.apps import AppConfig
from django.db.models.signals import post_migrate
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
        post_migrate.connect(_feed_triggers, sender=self)
        sync.node_pages("api:field_sync")
        sync.node_closed("field:node_list", "field:node_create", "field:node_revoke")


def _feed_triggers(sender, using="default", **kwargs):
    """After every migrate: headquarters' change-feed triggers on the tables nodes hold; none
    on a node."""
    changes = import_module("mawa.field.changes")
    models = import_module("mawa.field.models")
    if models.ThisDatabase.objects.using(using).filter(kind="node").exists():
        changes.triggers_remove()
    else:
        changes.triggers_install(using)
