from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class UsersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "users"
    verbose_name = _("Users")

    def ready(self) -> None:
        from users import checks  # noqa: F401  Registers the deploy checks.
        from users.roles import sync_role_groups_after_migrate

        # Once a migrate, as Django creates permissions: the role groups get their rights.
        post_migrate.connect(
            sync_role_groups_after_migrate, sender=self, dispatch_uid="users.sync_role_groups"
        )
