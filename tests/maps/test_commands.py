import json
from io import StringIO

import pytest
from django.core.management import call_command

from accounts import services
from accounts.models import Address
from maps.geocoders import OfflineGeocoder
from tests.accounts.factories import AccountFactory
from tests.maps.factories import located_account
from tests.users.factories import UserFactory

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
    assert "1 visit address not located yet to geocode." in output
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
    assert (
        f"#{still.pk}: No match for this city in this country: check the city and country."
        in output
    )
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
    assert "2 visit addresses not located yet" in output
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


def _save_with_the_service_down(failing_geocoder, capture_on_commit, account, **fields):
    failing_geocoder()
    with capture_on_commit(execute=True):
        services.address_save(
            address=visit(account), user=UserFactory(is_superuser=True), fields=fields
        )


def test_the_default_run_locates_what_the_service_could_not(
    settings, failing_geocoder, django_capture_on_commit_callbacks
):
    """The page says it is placed on the map at the next scheduled run: the run does it."""
    account = AccountFactory(visit__city="Breda")
    _save_with_the_service_down(
        failing_geocoder, django_capture_on_commit_callbacks, account, street="Markt 1"
    )
    address = visit(account)
    assert address.geocode_status == Address.GeocodeStatus.RETRY and address.latitude is None
    assert address.no_coordinates_reason.endswith(
        "It will be placed on the map at the next scheduled geocoding run."
    )
    settings.GEOCODER = "offline"
    output = run()
    assert "1 visit address not located yet to geocode." in output
    assert visit(account).latitude == pytest.approx(51.59, abs=0.02)


def test_the_default_run_leaves_an_address_with_no_match_until_it_is_fixed():
    """Looking up the same wrong address again finds nothing again; --failed still tries."""
    wrong = AccountFactory(visit__city="Atlantis")
    services.address_geocode(address_id=visit(wrong).pk)
    assert visit(wrong).geocode_status == Address.GeocodeStatus.FAILED
    assert "0 visit addresses not located yet to geocode." in run()
    assert "1 visit address whose last attempt failed to geocode." in run("--failed")


def test_the_summary_counts_what_waits_for_the_service(failing_geocoder):
    account = AccountFactory(visit__city="Breda")
    failing_geocoder()
    output = run("--all")
    assert "0 failed, 1 not located (the service did not answer)." in output
    assert "Run the command again later for the 1 the service did not answer" in output
    assert visit(account).geocode_status == Address.GeocodeStatus.RETRY


def test_the_migration_marks_the_service_failures_for_a_retry():
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "accounts.migrations.0009_retry_addresses_the_service_did_not_answer"
    )
    down = AccountFactory(
        visit__geocode_status="failed",
        visit__geocode_message="The geocoding service is unavailable; the address was saved.",
    )
    wrong = AccountFactory(
        visit__geocode_status="failed", visit__geocode_message="No match for this city in NL."
    )
    migration.to_retry(apps, None)
    assert visit(down).geocode_status == Address.GeocodeStatus.RETRY
    assert visit(wrong).geocode_status == Address.GeocodeStatus.FAILED


def test_the_command_waits_longer_than_a_save_would(settings, slow_geocoder):
    """A service slower than a save's budget still locates the addresses geocode_accounts takes:
    the command waits for the backend's own timeout (GEOCODER_TIMEOUT)."""
    settings.GEOCODER_SAVE_BUDGET = 0.05
    account = AccountFactory(visit__geocode_status=Address.GeocodeStatus.RETRY)
    slow_geocoder(0.3)
    assert "1 located, 0 located approximately, 0 failed." in run()
    assert visit(account).geocode_status == Address.GeocodeStatus.OK


def test_it_builds_the_offline_index_first_so_no_save_waits_for_it(use_geocoder, tmp_path):
    """The README's release step runs it: the first address saved on a page then finds the
    index ready instead of timing out while it is built (and being left for later)."""
    source = tmp_path / "cities.json"
    city = {"countrycode": "NL", "population": 5340, "latitude": 51.418, "longitude": 5.403}
    source.write_text(json.dumps({"1": {**city, "name": "Veldhoven", "alternatenames": []}}))
    index = tmp_path / "index.sqlite3"
    use_geocoder(OfflineGeocoder(index_path=index, source=source))
    assert "0 visit addresses not located yet to geocode." in run()
    assert index.exists()


def test_prepare_only_builds_the_index_and_locates_nothing(use_geocoder, tmp_path):
    """The README's release step: quick whatever the GEOCODER (Nominatim takes a second an
    address, hours after a large import)."""
    source = tmp_path / "cities.json"
    city = {"countrycode": "NL", "population": 5340, "latitude": 51.418, "longitude": 5.403}
    source.write_text(json.dumps({"1": {**city, "name": "Veldhoven", "alternatenames": []}}))
    index = tmp_path / "index.sqlite3"
    use_geocoder(OfflineGeocoder(index_path=index, source=source))
    waiting = AccountFactory(visit__city="Veldhoven")
    assert run("--prepare-only") == "The geocoder is ready.\n"
    assert index.exists()
    assert visit(waiting).geocode_status == "pending"
