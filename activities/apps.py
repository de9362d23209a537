from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from django.db.models.signals import pre_delete

        from accounts.models import Contact
        from activities.models import keep_contact_name

        pre_delete.connect(keep_contact_name, sender=Contact, dispatch_uid="keep_contact_name")
