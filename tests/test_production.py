"""The production path, as an operator follows the README: migrate, collectstatic, a real WSGI
server with DEBUG off behind a TLS proxy, the health check, and a backup that restores.

The server runs in its own process on a database of its own: a fresh SQLite file, or a fresh
PostgreSQL database beside the test database when the suite runs on PostgreSQL.
"""

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from unittest import mock

import psycopg2
import pytest
from django.conf import settings
from django.db import DatabaseError, connection

from demo.loader import DEMO_PASSWORD

BASE_DIR = Path(settings.BASE_DIR)
ON_POSTGRESQL = connection.vendor == "postgresql"
PG = settings.DATABASES["default"]
ONE_YEAR = 365 * 24 * 3600


def production_env(*, database_url: str, static_root: Path) -> dict[str, str]:
    """What the README's production section asks for, and nothing from the test settings."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "crm.settings",
        "DEBUG": "false",
        "SECRET_KEY": "p7Hq-2xV!m9Rk4@Ld8#Zw3^Ts6&Nb1*Gf5(Jc0)Yu4_Ea7+Qo2=Wi9",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "BEHIND_TLS_PROXY": "true",
        "TRUSTED_PROXY_COUNT": "1",
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(static_root),
        "GEOCODER": "offline",
        "GEOCODER_CACHE_DIR": str(settings.GEOCODER_CACHE_DIR),
        "LOG_LEVEL": "INFO",
    }


def manage(*args: str, env: dict[str, str], timeout: int = 300) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}{result.stderr}"
    return result.stdout


def pg_admin(sql: str) -> None:
    """Run a statement outside any transaction on the server the tests use."""
    conn = psycopg2.connect(
        dbname="postgres", user=PG["USER"], host=PG["HOST"], port=PG["PORT"] or 5432
    )
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
    finally:
        conn.close()


def pg_url(name: str) -> str:
    return f"postgres://{PG['USER']}@{PG['HOST']}:{PG['PORT'] or 5432}/{name}"


@pytest.fixture(scope="module")
def database_url(django_db_setup, tmp_path_factory) -> Iterator[str]:
    """A database of the server's own, on the engine the suite runs on, named after this
    worker's test database so that parallel runs do not meet."""
    if not ON_POSTGRESQL:
        yield f"sqlite:///{tmp_path_factory.mktemp('production') / 'crm.sqlite3'}"
        return
    name = f"{connection.settings_dict['NAME']}_production"
    pg_admin(f'DROP DATABASE IF EXISTS "{name}"')
    pg_admin(f'CREATE DATABASE "{name}"')
    yield pg_url(name)
    pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def release(database_url, tmp_path_factory) -> dict[str, str]:
    """The release steps of the README: migrate, collectstatic, the deploy check; demo data."""
    env = production_env(
        database_url=database_url, static_root=tmp_path_factory.mktemp("static") / "root"
    )
    manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    manage("migrate", "--no-input", env=env)
    manage("collectstatic", "--no-input", env=env)
    manage("load_demo", env=env)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Browser:
    """Just enough of a browser for a proxy-terminated HTTPS site: cookies and headers."""

    port: int
    cookies: SimpleCookie = field(default_factory=SimpleCookie)

    def request(
        self, method: str, path: str, *, body: str = "", https: bool = True
    ) -> tuple[http.client.HTTPResponse, str]:
        origin = f"https://127.0.0.1:{self.port}"
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if https:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        if method == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = origin + path
            headers["Origin"] = origin
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        return response, text


@pytest.fixture(scope="module")
def server(release) -> Iterator[Browser]:
    """gunicorn serving the app as the README's production section starts it."""
    port = free_port()
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "crm.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--no-control-socket",
            "--access-logfile",
            "-",
        ],
        cwd=BASE_DIR,
        env=release,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert process.poll() is None, process.stdout.read()
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("gunicorn did not start within 30 s")
    yield Browser(port=port)
    process.terminate()
    process.wait(timeout=10)


def log_in(browser: Browser, username: str) -> None:
    _, page = browser.request("GET", "/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    response, _ = browser.request(
        "POST",
        "/login/",
        body=f"csrfmiddlewaretoken={token}&username={username}&password={DEMO_PASSWORD}",
    )
    assert response.status == 302, response.status
    assert response.headers["Location"] == "/my-work/"


def test_the_login_page_is_served_over_https_with_hashed_static_files(server):
    response, page = server.request("GET", "/login/")
    assert response.status == 200
    assert "Strict-Transport-Security" in response.headers
    assert 'name="password"' in page
    styles = re.findall(r'href="(/static/[^"]+\.css)"', page)
    assert styles, "the login page links no style sheet"
    assert all(re.search(r"\.[0-9a-f]{12}\.css$", href) for href in styles), styles


def test_plain_http_is_sent_to_https(server):
    response, _ = server.request("GET", "/login/", https=False)
    assert response.status == 301
    assert response.headers["Location"] == f"https://127.0.0.1:{server.port}/login/"


def test_a_hashed_static_file_is_cached_for_a_year(server):
    _, page = server.request("GET", "/login/")
    href = re.search(r'href="(/static/[^"]+\.css)"', page)[1]
    response, body = server.request("GET", href)
    assert response.status == 200
    assert body
    cache = response.headers["Cache-Control"]
    assert "immutable" in cache
    assert int(re.search(r"max-age=(\d+)", cache)[1]) >= ONE_YEAR


def test_the_map_scripts_are_collected_under_hashed_names(release):
    """XStatic-Leaflet-MarkerCluster names a source map it does not ship; collectstatic copes."""
    manifest = json.loads((Path(release["STATIC_ROOT"]) / "staticfiles.json").read_text())
    for name in [
        "vendor/leaflet/leaflet.js",
        "vendor/leaflet-markercluster/leaflet.markercluster.js",
        "maps/map.js",
    ]:
        assert re.search(r"\.[0-9a-f]{12}\.js$", manifest["paths"][name]), name


def test_a_user_logs_in_and_works_with_debug_off(server):
    browser = Browser(port=server.port)
    log_in(browser, "sales")
    response, page = browser.request("GET", "/accounts/")
    assert response.status == 200
    assert re.search(r'<a href="/accounts/\d+/">', page), "the demo accounts are not listed"
    response, page = browser.request("GET", "/accounts/999999999/")
    assert response.status == 404
    assert "Back to the accounts" in page


def test_the_health_check_answers_without_a_session_or_https(server):
    """A load balancer probes over plain HTTP and keeps no cookie."""
    response, body = server.request("GET", "/healthz", https=False)
    assert response.status == 200
    assert json.loads(body) == {"status": "ok", "database": "up"}
    assert response.headers.get("Set-Cookie") is None


@pytest.mark.skipif(not ON_POSTGRESQL, reason="pg_dump and pg_restore are PostgreSQL's tools")
def test_a_dump_of_the_demo_database_restores_every_row(release, tmp_path):
    """The README's backup and restore commands bring back every row of every table."""
    source = release["DATABASE_URL"]
    target_name = f"{connection.settings_dict['NAME']}_restored"
    dump = tmp_path / "crm.dump"
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", source], check=True)
    pg_admin(f'DROP DATABASE IF EXISTS "{target_name}"')
    pg_admin(f'CREATE DATABASE "{target_name}"')
    try:
        subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                f"--dbname={pg_url(target_name)}",
                dump,
            ],
            check=True,
        )
        before, after = table_rows(source), table_rows(pg_url(target_name))
    finally:
        pg_admin(f'DROP DATABASE IF EXISTS "{target_name}" WITH (FORCE)')
    assert before["accounts_account"][0] > 100, before
    assert after == before


def table_rows(url: str) -> dict[str, tuple[int, str | None]]:
    """Every table of the public schema with its row count and a checksum of its rows."""
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
            tables = [name for (name,) in cursor.fetchall()]
            rows = {}
            for table in tables:
                cursor.execute(
                    f"SELECT count(*), md5(string_agg(t::text, '|' ORDER BY t::text)) "
                    f'FROM "{table}" t'
                )
                rows[table] = cursor.fetchone()
            return rows
    finally:
        conn.close()


# --- In-process: the health check's answer when the database is down, and the logs. ---


def test_the_health_check_says_503_when_the_database_does_not_answer(client, db):
    with mock.patch.object(connection, "cursor", side_effect=DatabaseError("gone")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "down"}


def test_logs_go_to_standard_output_at_the_configured_level(tmp_path):
    env = production_env(database_url="sqlite:///:memory:", static_root=tmp_path)
    script = (
        "import django, logging; django.setup(); "
        "log = logging.getLogger('crm.check'); log.info('quiet'); log.warning('heard')"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env={**env, "LOG_LEVEL": "WARNING"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "WARNING crm.check" in result.stdout and "heard" in result.stdout
    assert "quiet" not in result.stdout + result.stderr
