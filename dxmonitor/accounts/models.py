"""People and systems that sign in, and the one role each holds."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    LEADER = "leader", _("Leader")
    REPORTER = "reporter", _("Agency reporter")
    APPROVER = "approver", _("Agency approver")


AGENCY_ROLES = (Role.REPORTER, Role.APPROVER)


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.REPORTER)
    agency = models.ForeignKey(
        "agencies.Agency",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("agency"),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # An agency role without an agency would act for nobody, or worse, be read as "for everyone".
            models.CheckConstraint(
                condition=~models.Q(role__in=["reporter", "approver"]) | models.Q(agency__isnull=False),
                name="agency_roles_have_agency",
            )
        ]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def find(self, key: str):
        """The live token whose key this is, or None."""
        return self.filter(key_hash=_hash(key), revoked_at__isnull=True).select_related("user").first()


class ApiToken(models.Model):
    """A bearer token for systems pushing data; only its hash is stored."""

    PREFIX = "dxm_"

    user = models.ForeignKey(User, models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=120)
    prefix = models.CharField(max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user: User, name: str) -> tuple["ApiToken", str]:
        """A new token and its key; the key is shown once and never stored."""
        key = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=key[:12], key_hash=_hash(key))
        return token, key

    def revoke(self):
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])
