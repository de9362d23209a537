"""Two people editing one account in two browsers: the second is told, in Dutch, what the first
saved, and nothing is lost."""

from playwright.sync_api import Browser, Page, expect

from accounts.models import Account
from tests.accounts.factories import AccountFactory
from tests.e2e.conftest import ARTIFACTS, log_in


def test_the_second_editor_sees_what_the_first_saved_and_saves_knowingly(
    page: Page, browser: Browser, live_server, sales_user
):
    account = AccountFactory(phone="+31 10 000 0000", website="")
    colleague = browser.new_context(base_url=live_server.url).new_page()
    log_in(page, sales_user.username)
    log_in(colleague, sales_user.username)
    sales_user.language = "nl"
    sales_user.save(update_fields=["language"])
    url = f"/accounts/{account.pk}/edit/"
    page.goto(url)
    colleague.goto(url)

    colleague.locator("#id_phone").fill("+31 10 111 1111")
    colleague.locator("#id_website").fill("https://first.example")
    colleague.get_by_role("button", name="Opslaan").click()
    expect(colleague.get_by_role("status")).to_contain_text("opgeslagen")

    page.locator("#id_phone").fill("+31 10 222 2222")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#id_phone_errors")).to_have_text(
        "Iemand anders heeft hier “+31 10 111 1111” opgeslagen sinds u het formulier opende. "
        "Sla opnieuw op om het te vervangen door wat u typte."
    )
    # Looked at: the summary and the field's message in Dutch, the typed phone kept.
    page.screenshot(path=ARTIFACTS / "concurrent-edit-clash-nl.png", full_page=True)
    expect(page.locator("#id_phone")).to_have_value("+31 10 222 2222")
    expect(page.locator("#id_website")).to_have_value("https://first.example")

    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("opgeslagen")
    account = Account.objects.get(pk=account.pk)
    assert (account.phone, account.website) == ("+31 10 222 2222", "https://first.example")
    colleague.context.close()
