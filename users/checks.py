"""`manage.py check --deploy`: login throttling that would count every client as the proxy."""

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def proxy_without_trusted_count(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    if settings.SECURE_PROXY_SSL_HEADER and settings.TRUSTED_PROXY_COUNT <= 0:
        return [
            Warning(
                "BEHIND_TLS_PROXY is on but TRUSTED_PROXY_COUNT is 0: login throttling sees "
                "every client as the proxy, so failures from anyone count against everyone.",
                hint="Set TRUSTED_PROXY_COUNT to the number of proxies that append "
                "X-Forwarded-For in front of the app (usually 1).",
                id="users.W001",
            )
        ]
    return []
