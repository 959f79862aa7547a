from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mawa.core import nav, sync
from mawa.core.roles import Role, grant
from mawa.feedback.caps import FIGURES, HANDLE, RECORD


class FeedbackConfig(AppConfig):
    name = "mawa.feedback"
    label = "feedback"
    verbose_name = _("Complaints and feedback")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Record a ticket at a desk, on the hotline or from a paper form.
        grant(RECORD, Role.HELP_DESK, Role.CAMP_MANAGER, Role.FOCAL_POINT)
        # See and handle tickets. Which ones is decided by the role in access.py: focal points
        # see the restricted categories only, and nobody else ever sees them (administrators
        # included; docs/feedback.md says why).
        grant(HANDLE, Role.HELP_DESK, Role.CAMP_MANAGER, Role.FOCAL_POINT)
        # Aggregate figures, small cells suppressed, restricted categories never counted.
        grant(FIGURES, Role.HELP_DESK, Role.CAMP_MANAGER, Role.VIEWER)
        nav.link(_("Feedback"), "feedback:ticket_list", HANDLE)
        nav.link(_("Feedback figures"), "feedback:figures", FIGURES)
        nav.panel("feedback:dashboard_panel", HANDLE)
        # Field nodes: tickets do not travel yet (an offline help desk waits for its own sync
        # kind), so every page that writes or lists them is closed on a node. The dashboard's
        # panel only reads, and answers empty there.
        sync.node_pages("feedback:dashboard_panel", methods=["GET"])
        sync.node_closed(
            "feedback:ticket_list",
            "feedback:ticket_new",
            "feedback:ticket_detail",
            "feedback:ticket_assign",
            "feedback:ticket_status",
            "feedback:ticket_answer",
            "feedback:overdue",
            "feedback:figures",
            "feedback:figures_csv",
            "feedback:point_pattern",
            "api:ticket_list",
            "api:ticket_create",
            "api:ticket_detail",
            "api:sms_inbound",
        )
