"""Login throttling (django-axes): who the client is behind a proxy, and two failure limits.

Axes 8 compares one failure count with one AXES_FAILURE_LIMIT. We want two limits: a login name
from one address (AXES_FAILURE_LIMIT), so one person's typos or a guesser lock only that login
from that place; and one address across every login name (LOGIN_ADDRESS_FAILURE_LIMIT, higher),
so a guesser cannot try AXES_FAILURE_LIMIT passwords on each of a hundred colleagues.
"""

import ipaddress
from collections.abc import Sequence

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_lockout_parameters
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def client_ip_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address the
    outermost of them saw, taken from X-Forwarded-For.

    Each proxy appends the address it received the request from, so with n proxies the client is
    the n-th entry from the right; anything further left was written by the client and may be
    made up. Without trusted proxies the header is ignored altogether.
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote  # It did not come through every proxy.
    try:
        return str(ipaddress.ip_address(forwarded[-proxies]))
    except ValueError:
        return remote


def _limit(parameter: str | Sequence[str]) -> int:
    """A lockout parameter with the username counts per login; the address alone, per address."""
    per_login = parameter == "username" or "username" in parameter
    return settings.AXES_FAILURE_LIMIT if per_login else settings.LOGIN_ADDRESS_FAILURE_LIMIT


class LoginThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit for each of AXES_LOCKOUT_PARAMETERS."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """The failures that axes compares with AXES_FAILURE_LIMIT.

        Each parameter's count is shifted so that it reaches AXES_FAILURE_LIMIT exactly when it
        reaches its own limit: the address's count locks at LOGIN_ADDRESS_FAILURE_LIMIT.
        """
        parameters = get_lockout_parameters(request, credentials)
        attempts_list = self.get_user_attempts(request, credentials)
        shifted = [0]
        for parameter, attempts in zip(parameters, attempts_list, strict=True):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            shifted.append(count - _limit(parameter) + settings.AXES_FAILURE_LIMIT)
            if parameter == "ip_address" and count >= _limit(parameter):
                # Read by the lockout page, to say that the address is paused, not the login
                # (a mark of our own on this request, which HttpRequest does not declare).
                request.login_locked_by_address = True  # type: ignore[attr-defined]
        return max(shifted)

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """After a successful login, forget that login's failures only.

        Axes would forget every failure from the address, so a guesser with an account of their
        own could log in now and then to start the address's count again.
        """
        parameters = get_lockout_parameters(request, credentials)
        attempts_list = self.filter_user_attempts(request, credentials)
        count = 0
        for parameter, attempts in zip(parameters, attempts_list, strict=True):
            if parameter != "ip_address":
                count += attempts.delete()[0]
        return count
