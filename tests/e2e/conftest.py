"""Browser tests: the app on pytest-django's live server, driven by Debian's Chromium.

Every test here is marked ``e2e``, gets a fresh browser context that may only reach the live
server, and fails when the page logs a Content-Security-Policy violation or a JavaScript error.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path
from unittest.mock import patch
from urllib.parse import urlsplit

import pytest
from django.db import connections
from playwright.sync_api import Browser, ConsoleMessage, Page, Route, expect, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# The password tests/users/factories.py gives every user.
PASSWORD = "correct horse battery"

expect.set_options(timeout=10_000)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.e2e)
            # Under pytest-xdist the journeys run one after another on one worker: two Chromiums
            # on two cores would starve each other's pages, and the other worker runs the rest.
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def browser(django_db_setup, live_server) -> Iterator[Browser]:
    """Chromium, started after the live server and closed before it, so no request is cut off."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing, so the browser tests cannot run. "
            "Install it with `apt-get update && apt-get install -y chromium` (`make test` does).",
            pytrace=False,
        )
    # Playwright's sync API leaves an asyncio loop running in this thread. Django then refuses
    # ORM calls from the test (factories) unless told otherwise, and looks its connections up in
    # a separate, empty per-loop store: hand it the connections the test databases were set up
    # on, or the serialized rollback finds nothing to restore. The app itself runs in the live
    # server's thread and is not affected.
    connections_before = {alias: connections[alias] for alias in connections}
    with patch.dict(os.environ, {"DJANGO_ALLOW_ASYNC_UNSAFE": "true"}), sync_playwright() as pw:
        for alias, connection in connections_before.items():
            setattr(connections._connections, alias, connection)
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _only_local(route: Route) -> None:
    """Abort anything not aimed at the live server, so no test waits on the network."""
    if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
        route.continue_()
    else:
        route.abort()


@pytest.fixture
def console_problems() -> list[str]:
    """What the browser console reported as errors or CSP violations during the test."""
    return []


@pytest.fixture
def page(
    browser: Browser, live_server, django_db_serialized_rollback, console_problems: list[str]
) -> Iterator[Page]:
    """A page in a fresh context, with the console watched for CSP violations and errors.

    The live server needs a transactional database; serialized rollback brings back the rows the
    data migrations made (groups, relationship types) after each test's flush.
    """
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        permissions=["clipboard-read", "clipboard-write"],
    )
    context.route("**/*", _only_local)
    page = context.new_page()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" or "Content Security Policy" in message.text:
            console_problems.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: console_problems.append(f"{page.url}: {error}"))
    yield page
    context.close()
    assert not console_problems, "The browser console reported:\n" + "\n".join(console_problems)


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/e2e/ to look at after the run."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^a-z0-9_-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page: Page, login: str, password: str = PASSWORD) -> None:
    """Log in through the login form, as a person would."""
    page.goto("/login/")
    page.get_by_label("Email or username").fill(login)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
