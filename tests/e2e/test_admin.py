"""The Django admin's own pages in Chromium, under the app's Content-Security-Policy."""

from playwright.sync_api import Page, expect

from tests.e2e.conftest import PASSWORD, screenshot

FIELD_BOXES = ".selectable-field-export-row input[type=checkbox]:not(.select-toggle)"


def test_select_all_on_the_account_export_page(page: Page, admin_user):
    """ "Select all" clears and ticks every field; the console reports no CSP violation."""
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(admin_user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/admin/accounts/account/import/")
    expect(page.get_by_role("heading", name="Import")).to_be_visible()
    page.goto("/admin/accounts/account/export/")
    page.wait_for_load_state("load")

    boxes = page.locator(FIELD_BOXES)
    assert boxes.count() > 5
    expect(page.locator(f"{FIELD_BOXES}:not(:checked)")).to_have_count(0)
    page.get_by_label("Select all").uncheck()
    expect(page.locator(f"{FIELD_BOXES}:checked")).to_have_count(0)
    screenshot(page, "admin-export-none-selected")
    page.get_by_label("Select all").check()
    expect(page.locator(f"{FIELD_BOXES}:checked")).to_have_count(boxes.count())
