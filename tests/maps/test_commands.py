from io import StringIO

import pytest
from django.core.management import call_command

from accounts import services
from accounts.models import Address
from tests.accounts.factories import AccountFactory
from tests.maps.factories import located_account

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("geocode_accounts", *args, stdout=out)
    return out.getvalue()


def visit(account) -> Address:
    return Address.objects.get(account=account, kind=Address.Kind.VISIT)


def test_by_default_it_locates_the_addresses_never_located():
    new = AccountFactory(name="New")
    failed = AccountFactory(visit__city="Atlantis", visit__geocode_status="failed")
    done = located_account(name="Done", at=(1.0, 2.0))
    output = run()
    assert "1 visit address without coordinates that were never tried to geocode." in output
    assert "Done in" in output and "0 located, 1 located approximately, 0 failed." in output
    assert visit(new).latitude == pytest.approx(51.44, abs=0.02)
    assert visit(failed).latitude is None  # Left for --failed.
    assert (visit(done).latitude, visit(done).longitude) == (1.0, 2.0)


def test_failed_retries_the_failures_and_lists_what_to_fix():
    fixed = AccountFactory(visit__city="Utrecht", visit__geocode_status="failed")
    still = AccountFactory(visit__city="Atlantis", visit__geocode_status="failed")
    output = run("--failed")
    assert "2 visit addresses whose last attempt failed to geocode." in output
    assert "1 located approximately, 1 failed." in output
    assert f"#{still.pk}: No match for this city in NL: check the city and country." in output
    assert visit(fixed).latitude == pytest.approx(52.09, abs=0.02)


def test_all_locates_every_address_again():
    moved = located_account(at=(1.0, 2.0), city="Delft")
    run("--all")
    assert visit(moved).latitude == pytest.approx(52.01, abs=0.02)


def test_an_interrupted_run_keeps_its_work_and_can_continue(monkeypatch):
    first, second, third = (AccountFactory(visit__city=c) for c in ["Delft", "Breda", "Venlo"])
    real = services.address_geocode
    calls = []

    def interrupt_on_the_second(*, address_id):
        calls.append(address_id)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(address_id=address_id)

    monkeypatch.setattr("maps.management.commands.geocode_accounts.address_geocode",
                        interrupt_on_the_second)  # fmt: skip
    output = run()
    assert "Interrupted after 1 of 3" in output and "Run the command again to continue." in output
    assert visit(first).latitude is not None and visit(second).latitude is None
    monkeypatch.undo()
    output = run()
    assert "2 visit addresses without coordinates" in output
    assert visit(second).latitude is not None and visit(third).latitude is not None


def test_all_says_where_to_continue(monkeypatch):
    account = AccountFactory()

    def interrupt(*, address_id):
        raise KeyboardInterrupt

    monkeypatch.setattr("maps.management.commands.geocode_accounts.address_geocode", interrupt)
    output = run("--all")
    assert "--all --after 0" in output
    visit_id = visit(account).pk
    assert run("--all", "--after", str(visit_id)).startswith("0 visit addresses")
