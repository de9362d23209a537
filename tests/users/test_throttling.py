"""Login throttling behind a proxy: whose address counts, and the cap per address."""

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory, override_settings
from django.urls import reverse

from tests.users.factories import UserFactory
from users.checks import proxy_without_trusted_count
from users.throttling import client_ip_address

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
PROXY = "10.0.0.1"
ALICE, BOB = "198.51.100.1", "198.51.100.2"

throttled = override_settings(
    AXES_ENABLED=True, AXES_FAILURE_LIMIT=3, LOGIN_ADDRESS_FAILURE_LIMIT=5
)
behind_one_proxy = override_settings(TRUSTED_PROXY_COUNT=1)


def log_in(client, username, password="wrong", *, remote=PROXY, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("login"), {"username": username, "password": password}, **headers)


def lockout(response) -> str | None:
    """Which limit a lock-out page says was reached: "login", "address" or None."""
    if response.status_code != 429:
        return None
    content = response.content.decode()
    return "address" if 'data-locked="address"' in content else "login"


# --- the client's address ----------------------------------------------------------------------


def request(remote=PROXY, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "client"),
    [
        (0, "203.0.113.7", PROXY),  # Nobody trusted: the header is the client's word.
        (1, None, PROXY),  # Not through the proxy at all.
        (1, ALICE, ALICE),
        (1, f"203.0.113.7, {ALICE}", ALICE),  # The client wrote the first one.
        (2, f"203.0.113.7, {ALICE}, 10.0.0.2", ALICE),
        (2, ALICE, PROXY),  # Fewer hops than proxies: not through both.
        (1, "not-an-address", PROXY),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_trusts_only_the_configured_proxies(
    settings, proxies, forwarded, client
):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip_address(request(forwarded=forwarded)) == client


# --- through the login page --------------------------------------------------------------------


@throttled
def test_a_made_up_forwarded_for_is_ignored_without_a_trusted_proxy(client):
    """A guesser writing a new X-Forwarded-For each time still has one counter: their own."""
    UserFactory(username="sales")
    for attempt in range(3):
        log_in(client, "sales", remote="203.0.113.9", forwarded=f"192.0.2.{attempt}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    response = log_in(client, "sales", PASSWORD, remote="203.0.113.9", forwarded="192.0.2.77")
    assert lockout(response) == "login"


@throttled
@behind_one_proxy
def test_behind_a_trusted_proxy_each_client_has_its_own_counter(client):
    """Alice's wrong passwords for "sales" lock "sales" out for Alice, not for Bob behind the
    same proxy; Alice cannot get a fresh counter by writing her own X-Forwarded-For."""
    UserFactory(username="sales")
    for _ in range(3):
        log_in(client, "sales", forwarded=ALICE)
    assert lockout(log_in(client, "sales", PASSWORD, forwarded=f"192.0.2.1, {ALICE}")) == "login"
    assert log_in(client, "sales", PASSWORD, forwarded=BOB).status_code == 302


@throttled
@behind_one_proxy
def test_one_address_trying_many_logins_is_locked(client):
    """Five failures from one address over five login names pause that address, even for a
    right password; another client behind the proxy still logs in."""
    UserFactory(username="sales")
    for name in ["ann", "ben", "cas", "dirk", "eva"]:
        assert lockout(log_in(client, name, forwarded=ALICE)) in (None, "address")
    response = log_in(client, "sales", PASSWORD, forwarded=ALICE)
    assert lockout(response) == "address"
    assert log_in(client, "sales", PASSWORD, forwarded=BOB).status_code == 302


@throttled
@behind_one_proxy
def test_a_good_login_does_not_reset_the_address_count(client):
    """A guesser with an account of their own cannot log in now and then to start again."""
    UserFactory(username="mallory")
    for name in ["ann", "ben", "cas", "dirk"]:
        log_in(client, name, forwarded=ALICE)
    assert log_in(client, "mallory", PASSWORD, forwarded=ALICE).status_code == 302
    client.logout()
    log_in(client, "eva", forwarded=ALICE)
    assert lockout(log_in(client, "mallory", PASSWORD, forwarded=ALICE)) == "address"


@throttled
@behind_one_proxy
def test_a_good_login_still_forgets_that_logins_own_typos(client):
    UserFactory(username="sales")
    for _ in range(2):
        log_in(client, "sales", forwarded=ALICE)
    assert log_in(client, "sales", PASSWORD, forwarded=ALICE).status_code == 302
    client.logout()
    for _ in range(2):
        log_in(client, "sales", forwarded=ALICE)
    assert log_in(client, "sales", PASSWORD, forwarded=ALICE).status_code == 302


@pytest.mark.parametrize(
    ("behind_proxy", "proxies", "warned"),
    [(False, 0, False), (True, 0, True), (True, 1, False)],
)
def test_check_deploy_warns_of_a_proxy_nobody_trusts(settings, behind_proxy, proxies, warned):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if behind_proxy else None
    settings.TRUSTED_PROXY_COUNT = proxies
    ids = [message.id for message in proxy_without_trusted_count()]
    assert ids == (["users.W001"] if warned else [])
