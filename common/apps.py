from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    """Helpers every app shares: hostile-input guards, the search bound. No models."""

    name = "common"
    verbose_name = _("Common")

    def ready(self) -> None:
        from common.ids import IdConverter

        # Registered before any urls.py is read, so every app can use <id:pk>.
        register_converter(IdConverter, "id")
