from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower


class User(AbstractUser):
    """A login user. People sign in with their username or their email address."""

    class Meta:
        ordering = ["username"]
        constraints = [
            # Email is a login name too, so two users may not share one.
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="users_user_email_unique_ci",
                violation_error_message="Another user already has this email address.",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username
