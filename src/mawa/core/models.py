"""Places, users and the audit log: what every other app stands on."""

import hashlib
import json
import secrets

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mawa.core.ids import new_id
from mawa.core.roles import Role, role_can


class LocalizedNameMixin(models.Model):
    """Places carry English, Arabic and Kurdish names; show the one of the page's language."""

    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120, blank=True)
    name_ckb = models.CharField(_("name (Kurdish)"), max_length=120, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or "en").split("-")[0]
        return getattr(self, f"name_{language}", "") or self.name_en


class AdminArea(LocalizedNameMixin):
    """A governorate (level 1), district (2) or sub-district (3), keyed by its OCHA P-code."""

    class Level(models.IntegerChoices):
        GOVERNORATE = 1, _("Governorate")
        DISTRICT = 2, _("District")
        SUBDISTRICT = 3, _("Sub-district")

    pcode = models.CharField(
        _("P-code"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2}[A-Z0-9]{2,18}$", _("Not a P-code."))],
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    illustrative = models.BooleanField(
        _("illustrative"), default=False, help_text=_("Demo data whose code is not OCHA's.")
    )

    class Meta:
        ordering = ["pcode"]
        verbose_name = _("administrative area")
        verbose_name_plural = _("administrative areas")

    def governorate(self) -> "AdminArea":
        area = self
        while area.parent_id and area.level > self.Level.GOVERNORATE:
            area = area.parent
        return area


class Site(LocalizedNameMixin):
    """A place where displaced people live: a camp, settlement, collective centre, ..."""

    class Kind(models.TextChoices):
        CAMP = "camp", _("Formal camp")
        INFORMAL = "informal", _("Informal settlement")
        COLLECTIVE = "collective", _("Collective centre")
        HOST = "host", _("Host community")
        RECEPTION = "reception", _("Transit or reception point")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.CAMP)
    area = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, related_name="sites", verbose_name=_("area")
    )
    managing_agency = models.CharField(_("managing agency"), max_length=120, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    capacity_households = models.PositiveIntegerField(_("capacity (households)"), default=0)
    capacity_people = models.PositiveIntegerField(_("capacity (people)"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")


class User(AbstractUser):
    """A Mawa user: one role, scoped to sites (or to all sites, for coordinators)."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    sites = models.ManyToManyField(Site, blank=True, related_name="users", verbose_name=_("sites"))
    all_sites = models.BooleanField(
        _("all sites"), default=False, help_text=_("Coordinators who see every site.")
    )
    language = models.CharField(_("language"), max_length=8, blank=True)

    def can(self, capability: str) -> bool:
        return self.is_active and role_can(self.role, capability)

    def site_scope(self):
        """The sites this user may see: the one query every scoped read starts from."""
        if not self.is_active:
            return Site.objects.none()
        if self.all_sites:
            return Site.objects.all()
        return self.sites.all()


class ApiToken(models.Model):
    """A bearer token for the JSON API; it carries its user's role and sites.

    Only the token's SHA-256 is stored: the token itself is shown once, when it is issued, and
    a copy of the database does not let anyone call the API."""

    key = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"token of {self.user_id}"

    @staticmethod
    def digest(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()

    @classmethod
    def issue(cls, user: User) -> tuple["ApiToken", str]:
        """A new token for `user`: the saved row, and the token (shown once, never stored)."""
        token = secrets.token_urlsafe(32)
        return cls.objects.create(user=user, key=cls.digest(token)), token


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError("The audit log is append-only.")

    def delete(self):
        raise ValidationError("The audit log is append-only.")


class AuditEvent(models.Model):
    """One line of the append-only audit log: who did what to which record, when, from where."""

    class Action(models.TextChoices):
        CREATE = "create", _("Create")
        CHANGE = "change", _("Change")
        DELETE = "delete", _("Delete")
        VIEW = "view", _("View")
        EXPORT = "export", _("Export")
        IMPORT = "import", _("Import")
        LOGIN = "login", _("Log in")
        LOGIN_FAILED = "login_failed", _("Failed log-in")
        SEARCH = "search", _("Search")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # PROTECT: a user who ever acted cannot be deleted (their rows would be rewritten); they
    # are deactivated instead. The database refuses the rewrite too (migration 0003's triggers).
    user = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    summary = models.JSONField(default=dict, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("The audit log is append-only.")


class AuditValues(models.Model):
    """The values behind one audit line (a change's old and new values, a search's words): kept
    apart from the append-only log so that retention can clear them. The log keeps the field
    names and `hash`, a salted SHA-256 of these values: a value restored from here can be
    checked against the log, and once the salt is cleared the hash says nothing about them."""

    event = models.OneToOneField(
        AuditEvent, on_delete=models.DO_NOTHING, primary_key=True, related_name="values"
    )
    salt = models.CharField(max_length=32)
    data = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("audit values")
        verbose_name_plural = _("audit values")

    def __str__(self) -> str:
        return f"values of {self.event_id}"

    @staticmethod
    def fingerprint(salt: str, data: dict) -> str:
        text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(f"{salt}:{text}".encode("utf-8", "surrogatepass")).hexdigest()
