"""Database settings: each engine gets the options that keep concurrent requests answered."""

import json
import subprocess
import sys

import pytest
from django.db import connection

from crm.settings import BASE_DIR

PRINT_OPTIONS = (
    "import json, crm.settings as s; print(json.dumps(s.DATABASES['default'].get('OPTIONS', {})))"
)


def options_in_a_process(*argv: str, database_url: str, **env: str) -> dict:
    """The database OPTIONS the settings give a process started as `argv`, without connecting."""
    code = f"import sys; sys.argv = {list(argv)!r}; {PRINT_OPTIONS}"
    environment = {"DEBUG": "true", "DATABASE_URL": database_url, "PATH": "/usr/bin:/bin", **env}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


POSTGRES = "postgres://postgres@127.0.0.1:5432/none"


def test_sqlite_waits_for_the_write_lock_instead_of_failing():
    """SQLite takes the write lock when a transaction begins and waits up to 20 s for it."""
    assert options_in_a_process("gunicorn", database_url="sqlite:///x.sqlite3") == {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }


def test_web_requests_on_postgresql_have_a_statement_timeout():
    assert options_in_a_process("gunicorn", database_url=POSTGRES) == {
        "options": "-c statement_timeout=15000"
    }
    assert options_in_a_process(
        "manage.py", "runserver", database_url=POSTGRES, DB_STATEMENT_TIMEOUT_MS="3000"
    ) == {"options": "-c statement_timeout=3000"}


def test_the_statement_timeout_can_be_switched_off():
    assert (
        options_in_a_process("gunicorn", database_url=POSTGRES, DB_STATEMENT_TIMEOUT_MS="0") == {}
    )


@pytest.mark.parametrize("command", ["migrate", "geocode_accounts", "load_demo"])
def test_management_commands_run_without_the_web_timeout(command):
    """A migration over a million rows or a long geocoding run is not cut off after 15 s."""
    assert options_in_a_process("manage.py", command, database_url=POSTGRES) == {}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
@pytest.mark.django_db
def test_the_timeout_reaches_postgresql():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "15s"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
@pytest.mark.django_db
def test_the_sqlite_test_database_is_a_file_threads_can_share():
    # pytest-xdist gives each worker its own file by appending "_gw0", "_gw1", ...
    assert ".sqlite3" in connection.settings_dict["NAME"]
    assert not connection.is_in_memory_db()
