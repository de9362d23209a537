from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.sellers import seller_errors


class User(AbstractUser):
    """A login user. People sign in with their username or their email address.

    A user may be linked to one CRM account and, within it, one CRM contact: the seller filled in
    on the quotes they write, so the account is one of our selling entities (type Seller). The
    link is optional and never made automatically, and the contact's email is the contact's own:
    it never replaces the user's email.
    """

    crm_account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=gettext_lazy("CRM account"),
    )
    crm_contact = models.ForeignKey(
        "accounts.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=gettext_lazy("CRM contact"),
        help_text=gettext_lazy("A contact of the CRM account."),
    )
    # Empty: the language the browser asks for.
    language = models.CharField(
        gettext_lazy("language"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=gettext_lazy("The language of the pages; empty follows the browser."),
    )

    class Meta:
        ordering = ["username"]
        verbose_name = gettext_lazy("user")
        verbose_name_plural = gettext_lazy("users")
        constraints = [
            # Email is a login name too, so two users may not share one.
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="users_user_email_unique_ci",
                violation_error_message=gettext_lazy(
                    "Another user already has this email address."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def clean(self) -> None:
        """A user cannot be linked to an account that is not a Seller, nor to another's contact."""
        super().clean()
        fields = ("crm_account", "crm_contact")
        errors = seller_errors(on=self, fields=fields, label=_("CRM account"))
        if errors:
            raise ValidationError(errors)
