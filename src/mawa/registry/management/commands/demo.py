"""`mawa demo`: load the demo scenario (idempotent: a second run adds nothing)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from mawa.core.models import Site, User
from mawa.core.places import load_areas, load_camps
from mawa.core.roles import Role
from mawa.registry.models import Household
from mawa.registry.synthetic import generate_households

# username: (role, password, site codes; None = all sites)
DEMO_USERS = {
    "admin": (Role.ADMINISTRATOR, "mawa-admin-2017", None),
    "clerk": (Role.CLERK, "mawa-clerk-2017", ["debaga-1", "khazer-m1"]),
    "manager": (Role.CAMP_MANAGER, "mawa-manager-2017", ["debaga-1"]),
    "distributor": (Role.DISTRIBUTION, "mawa-distributor-2017", ["debaga-1"]),
    "protection": (Role.PROTECTION, "mawa-protection-2017", ["debaga-1", "khazer-m1"]),
    "helpdesk": (Role.HELP_DESK, "mawa-helpdesk-2017", ["debaga-1"]),
    "focal": (Role.FOCAL_POINT, "mawa-focal-2017", ["debaga-1", "khazer-m1"]),
    "viewer": (Role.VIEWER, "mawa-viewer-2017", None),
}


class Command(BaseCommand):
    help = "Load Iraq's places, the 86 camps of early 2017, demo users and synthetic households."

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=2017)

    def handle(self, *args, households: int, seed: int, **options):
        areas = load_areas()
        camps = load_camps()
        self.stdout.write(f"Places: {areas} areas, {camps} camps.")
        with transaction.atomic():
            users = self._users()
        if Household.objects.exists():
            self.stdout.write("Households already present: none added.")
        else:
            sites = list(Site.objects.filter(is_active=True).order_by("code"))
            made = generate_households(
                sites=sites, households=households, seed=seed, registered_by=users["admin"]
            )
            self.stdout.write(f"Generated {made.households} households, {made.people} people.")
        for step in settings.MAWA_DEMO_STEPS:
            import_string(step)(self.stdout)
        self.stdout.write("Demo users (username / password / role):")
        for username, (role, password, _sites) in DEMO_USERS.items():
            self.stdout.write(f"  {username:<12} {password:<24} {Role(role).label}")

    def _users(self) -> dict[str, User]:
        users = {}
        for username, (role, password, site_codes) in DEMO_USERS.items():
            user, created = User.objects.get_or_create(
                username=username, defaults={"role": role, "all_sites": site_codes is None}
            )
            if created:
                user.set_password(password)
                user.is_staff = user.is_superuser = role == Role.ADMINISTRATOR
                user.save()
                if site_codes:
                    user.sites.set(Site.objects.filter(code__in=site_codes))
            users[username] = user
        return users
