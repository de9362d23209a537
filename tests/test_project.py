"""Project-wide guarantees: production settings, login everywhere, a strict CSP, clean templates."""

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.accounts.factories import AccountFactory, AddressFactory, ContactFactory

BASE_DIR = Path(settings.BASE_DIR)
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "crm.settings",
    "DEBUG": "false",
    "SECRET_KEY": "k3V9-q!x7Lr2@Zp5#Wm8^Tb4&Nc6*Hd1(Jf0)Gs3_Yv7+Ue2=Qa9",
    "ALLOWED_HOSTS": "crm.example.com",
    "DATABASE_URL": "sqlite:///:memory:",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh interpreter that sees this environment only (and PATH)."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={"PATH": os.environ.get("PATH", ""), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check_without_warnings():
    """`check --deploy` finds nothing to warn about when DEBUG is off and a real key is set."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    """With DEBUG off there is no default SECRET_KEY to fall back on."""
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


# --- Templates: nothing a CSP without 'unsafe-inline' would block. ---

TAG = re.compile(r"<[a-zA-Z][^<>]*>", re.DOTALL)
# A script with the request's CSP nonce is allowed: the policy lets exactly that one run.
INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\b(?:src\s*=|nonce=\"\{\{ request\.csp_nonce \}\}\"))[^>]*>",
    re.IGNORECASE,
)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""=\s*["']?\s*javascript:""", re.IGNORECASE)


def csp_problems(source: str) -> list[str]:
    """What in a template's source a strict Content-Security-Policy would block."""
    problems = [f"inline script {m.group()}" for m in INLINE_SCRIPT.finditer(source)]
    problems += ["<style> element" for _ in STYLE_ELEMENT.finditer(source)]
    for tag in TAG.findall(source):
        if EVENT_HANDLER.search(tag):
            problems.append(f"event-handler attribute in {tag}")
        if STYLE_ATTRIBUTE.search(tag):
            problems.append(f"style attribute in {tag}")
        if JAVASCRIPT_URL.search(tag):
            problems.append(f"javascript: URL in {tag}")
    return problems


def project_templates() -> list[Path]:
    """Every template of the project: templates/ and each app's own templates folder."""
    folders = [BASE_DIR / "templates", *BASE_DIR.glob("*/templates")]
    return sorted(
        path
        for folder in folders
        if ".venv" not in folder.parts
        for path in folder.rglob("*")
        if path.is_file()
    )


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<script nonce="abc">alert(1)</script>',
        '<script type="module">import "x";</script>',
        '<button onclick="go()">Go</button>',
        "<body\n  onload='start()'>",
        '<div style="color: red">',
        "<style>p { color: red }</style>",
        '<a href="javascript:void(0)">x</a>',
    ],
)
def test_the_template_scan_catches_what_the_csp_blocks(snippet):
    assert csp_problems(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        "<script src=\"{% static 'js/app.js' %}\" defer></script>",
        '<script nonce="{{ request.csp_nonce }}">{{ map.script|safe }}</script>',
        '<p data-onclick="x">Click on the button; style is ours.</p>',
        '<input name="online" class="styled">',
    ],
)
def test_the_template_scan_lets_clean_markup_pass(snippet):
    assert csp_problems(snippet) == []


def test_templates_carry_no_inline_script_style_or_event_handlers():
    """A CSP without 'unsafe-inline' is on: behaviour and styles live in static files."""
    templates = project_templates()
    assert len(templates) >= 5, "the template folders were not found"
    found = {
        str(path.relative_to(BASE_DIR)): problems
        for path in templates
        if (problems := csp_problems(path.read_text(encoding="utf-8")))
    }
    assert found == {}, (
        "Move scripts and styles into static files (a same-origin <script src> or <link> is fine), "
        "and event handlers into static/js with addEventListener."
    )


# --- Every page: login required, CSP header sent. ---

HREF = re.compile(r'href="(/[^"#?]*)')
SKIPPED_PREFIXES = ("/static/", "/admin/", "/logout/")


def crawl(client, start: list[str], limit: int = 200) -> dict[str, object]:
    """GET every page of the site reachable from `start` by links, ignoring query strings."""
    seen: dict[str, object] = {}
    queue = list(start)
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        response = client.get(path)
        seen[path] = response
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            for link in HREF.findall(response.content.decode()):
                if not link.startswith(SKIPPED_PREFIXES) and link not in seen:
                    queue.append(link)
    return seen


@pytest.fixture
def site_pages(db, client, admin_user) -> dict[str, object]:
    """The responses of every page an administrator can reach, with sample rows to link to."""
    parent = AccountFactory(name="Rijn Holding", business_unit="HQ")
    account = AccountFactory(name="Rijn Logistics", parent=parent, crm4_id="IK-42")
    ContactFactory(account=account)
    AddressFactory(account=account, name="Shipping")
    client.force_login(admin_user)
    pages = crawl(client, ["/", "/accounts/", account.get_absolute_url(), "/admin/"])
    client.logout()
    pages.update(crawl(client, ["/login/"], limit=1))
    return pages


def test_the_crawl_reaches_the_account_pages(site_pages):
    paths = set(site_pages)
    assert {"/accounts/", "/accounts/new/", "/login/", "/admin/"} <= paths
    assert any(re.fullmatch(r"/accounts/\d+/edit/", p) for p in paths)
    assert any(re.fullmatch(r"/contacts/\d+/edit/", p) for p in paths)
    assert any(re.fullmatch(r"/addresses/\d+/edit/", p) for p in paths)


def test_every_page_sends_a_strict_content_security_policy(site_pages):
    """Each page sends a CSP whose scripts and styles may not be inline."""
    for path, response in site_pages.items():
        assert response.status_code in (200, 302), path
        policy = response.get("Content-Security-Policy", "")
        assert "script-src" in policy, path
        assert "style-src" in policy, path
        assert "'unsafe-inline'" not in policy, path
        assert "'unsafe-eval'" not in policy, path


def test_every_page_but_login_needs_a_login(site_pages, client):
    """An anonymous visitor is sent to the login page from every page, and comes back after."""
    for path in site_pages:
        if path.startswith(("/login/", "/admin/")):
            continue
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/login/"), path


def test_anonymous_accounts_list_redirects_to_login(client, db):
    response = client.get("/accounts/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/accounts/"


@pytest.mark.django_db
def test_the_menu_offers_every_section_and_marks_the_current_one(client, sales_user):
    client.force_login(sales_user)
    content = client.get(reverse("sales:quote_list")).content.decode()
    # Users is for administrators only (tests/users/test_crm_link.py).
    for label in ["Accounts", "Quotes", "Orders", "Approvals", "Invoices", "Map"]:
        assert f">{label}</a>" in content, label
    assert 'href="/quotes/" aria-current="page"' in content
    assert 'href="/accounts/" aria-current' not in content
    assert ">Admin</a>" not in content


@pytest.mark.django_db
def test_refusals_and_missing_pages_explain_themselves(client, accounting_user):
    """A 403 says what to do and a 404 offers a way back, inside the usual layout."""
    client.force_login(accounting_user)
    response = client.get(reverse("accounts:create"))
    assert response.status_code == 403
    assert "ask an administrator" in response.content.decode()
    assert ">Accounts</a>" in response.content.decode()
    response = client.get("/accounts/999999/")
    assert response.status_code == 404
    assert "Back to the accounts" in response.content.decode()


def test_every_dependency_is_pinned_in_the_lock_file():
    """`make install` installs requirements.lock: a dependency added to pyproject.toml without
    `make lock` would be missing on a fresh machine."""
    project = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    pinned = set(re.findall(r"^([a-z0-9-]+)==", (BASE_DIR / "requirements.lock").read_text(), re.M))
    names = {
        re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0].lower().replace("_", "-") for spec in wanted
    }
    assert names - pinned == set()
