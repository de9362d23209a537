"""The admin's CSV import in Chromium: big files are sent to manage.py import_accounts."""

from playwright.sync_api import Page, expect

from accounts.models import Account
from accounts.resources import ADMIN_IMPORT_MAX_ROWS
from tests.accounts.test_import_export import old_crm_row, to_csv
from tests.e2e.conftest import PASSWORD, screenshot


def test_a_file_too_big_for_the_admin_names_the_command(page: Page, admin_user, tmp_path):
    """The page says the limit before the upload, and a bigger file is refused with the way out."""
    rows = [old_crm_row(crm4_id=f"X-{n}") for n in range(ADMIN_IMPORT_MAX_ROWS + 1)]
    path = tmp_path / "accounts.csv"
    path.write_bytes(to_csv(rows))
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(admin_user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/admin/accounts/account/import/")
    expect(page.locator("[data-import-limit]")).to_contain_text("manage.py import_accounts")

    page.get_by_label("File to import").set_input_files(path)
    page.get_by_role("button", name="Submit").click()

    error = page.locator(".errorlist")
    expect(error).to_contain_text("more than 1000 rows")
    expect(error).to_contain_text("manage.py import_accounts")
    screenshot(page, "admin-import-too-big")
    assert not Account.objects.exists()
