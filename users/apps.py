from django.apps import AppConfig
from django.db.models.signals import post_migrate


class UsersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "users"

    def ready(self) -> None:
        from users import checks  # noqa: F401  Registers the deploy checks.
        from users.roles import sync_role_groups_after_migrate

        # Once a migrate, as Django creates permissions: the role groups get their rights.
        post_migrate.connect(
            sync_role_groups_after_migrate, sender=self, dispatch_uid="users.sync_role_groups"
        )
