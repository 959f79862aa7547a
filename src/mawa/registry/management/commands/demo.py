"""`mawa demo`: load the demo scenario (idempotent: a second run adds nothing)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
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
        real = self._real_households()
        if real:
            raise CommandError(
                f"This database holds {real} households not made by the demo: `mawa demo` "
                "refuses to add demo users (whose passwords are published) and demo data to it."
            )
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

    @staticmethod
    def _real_households() -> int:
        """Households registered by anyone but a demo user who still has the demo password (a
        clerk trying the demo registers households too; a real "admin" has their own)."""
        registrars = User.objects.filter(
            username__in=DEMO_USERS, pk__in=Household.objects.values("registered_by")
        )
        demo = [u.pk for u in registrars if u.check_password(DEMO_USERS[u.username][1])]
        return Household.objects.exclude(registered_by__in=demo).count()

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
