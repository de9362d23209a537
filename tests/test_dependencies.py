"""The apps depend on each other one way only (DESIGN.md): common at the bottom, then accounts,
then users, sales and maps, then activities (which reads the sales documents for the timeline);
the demo loader at the top may use them all."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OUR_APPS = {"common", "accounts", "users", "sales", "maps", "activities", "demo", "crm"}
# What each app may import of ours besides itself. The geocoder backends know no models, so the
# accounts code that saves an address may call them.
ALLOWED = {
    "common": set(),
    "accounts": {"common", "maps.geocoders"},
    # Activities hang on accounts and may name a quote or order; the timeline reads what the
    # sales documents and the account's history record. Nothing below imports activities.
    "activities": {"common", "accounts", "sales"},
}


def imported_modules(app: str) -> set[str]:
    """Every module (or name in it) of ours that the app's code, migrations aside, imports."""
    found = set()
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # "from maps import geocoders" imports maps.geocoders.
                names = [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            found |= {name for name in names if name.split(".")[0] in OUR_APPS - {app}}
    return found


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_an_app_imports_only_what_sits_below_it(app):
    allowed = ALLOWED[app]
    wrong = {
        name
        for name in imported_modules(app)
        if not any(name == ok or name.startswith(f"{ok}.") for ok in allowed)
    }
    assert not wrong, f"{app} imports {sorted(wrong)}"


def test_the_guard_sees_imports():
    """The scan finds what sales imports, so an empty answer above means something."""
    assert "accounts.models.Account" in imported_modules("sales")


@pytest.mark.parametrize("app", ["common", "accounts", "users", "sales", "maps", "activities"])
def test_no_app_needs_the_demo_data(app):
    assert not {name for name in imported_modules(app) if name.split(".")[0] == "demo"}
