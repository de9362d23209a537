"""The sales journeys in a real browser: the CRM link fills in the seller; approval of an order."""

import re

from playwright.sync_api import Page, expect

from sales.models import Order
from tests.accounts.factories import AddressFactory, ContactFactory
from tests.e2e.conftest import ARTIFACTS, log_in, screenshot
from tests.sales.factories import CustomerFactory, QuoteFactory, SellerAccountFactory


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login/$"))


def test_link_a_user_to_the_crm_and_see_the_seller_on_a_new_quote(
    page: Page, admin_user, sales_user
):
    """An administrator links a user to a seller account and contact; their quotes get it."""
    seller = SellerAccountFactory(name="Bodywork Group Elfsquad")
    ContactFactory(account=seller, first_name="Pat", last_name="Jansen")
    ContactFactory(account=seller, first_name="Kim", last_name="de Vries")
    customer = CustomerFactory(name="Acme Panels")
    AddressFactory(account=customer, name="Shipping", city="Utrecht")

    log_in(page, admin_user.username)
    page.get_by_role("link", name="Users").click()
    row = page.locator(f'tr[data-user="{sales_user.username}"]')
    expect(row.locator(".crm-account")).to_have_text("None")
    expect(row.locator(".crm-contact")).to_have_text("—")
    screenshot(page, "users-unlinked")

    row.locator(".crm-account").get_by_role("link").click()
    # The seed: "we will see the CRM account we just created, and we can select it".
    page.get_by_role("radio", name="Bodywork Group Elfsquad").check()
    screenshot(page, "users-crm-account-choices")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("is now linked to Bodywork Group Elfsquad")
    expect(row.locator(".crm-account")).to_have_text("Bodywork Group Elfsquad")

    row.locator(".crm-contact").get_by_role("link", name=re.compile("CRM contact")).click()
    expect(page.get_by_label("Kim de Vries")).to_be_visible()
    page.get_by_label("Pat Jansen").check()
    page.get_by_role("button", name="Save").click()
    expect(row.locator(".crm-contact [data-contact-edit]")).to_have_text("Pat Jansen")
    # The user's own email stays as it was.
    expect(row.locator("td").first).to_contain_text(sales_user.email)
    screenshot(page, "users-linked")
    # "We click on it to complete the data": the contact's own form.
    row.locator(".crm-contact [data-contact-edit]").click()
    expect(page.get_by_label("Last name")).to_have_value("Jansen")
    log_out(page)

    log_in(page, sales_user.email)
    page.get_by_role("link", name="Quotes").click()
    page.get_by_role("link", name="New quote").click()
    expect(page.get_by_label("Seller", exact=True)).to_have_value("Bodywork Group Elfsquad")
    expect(page.locator("#id_seller_account_id")).to_have_value(str(seller.pk))
    expect(page.get_by_label("Seller contact")).to_have_value(
        str(seller.contacts.get(last_name="Jansen").pk)
    )

    # Picked with the keyboard: the suggestion shows the city; Enter picks, without sending.
    box = page.get_by_label("Customer")
    box.press_sequentially("Acme")
    expect(page.get_by_role("option", name=re.compile("Acme Panels"))).to_contain_text("Eindhoven")
    box.press("ArrowDown")
    expect(page.get_by_role("listbox").get_by_role("option", selected=True)).to_contain_text(
        "Acme Panels"
    )
    screenshot(page, "quote-customer-suggestions")
    box.press("Enter")
    expect(box).to_have_value("Acme Panels")
    expect(page.locator("#id_customer_id")).to_have_value(str(customer.pk))
    # The delivery list now offers the customer's own addresses, Shipping among them.
    delivery = page.get_by_label("Delivery address")
    shipping = delivery.locator("option", has_text=re.compile(r"^Shipping:"))
    expect(shipping).to_have_count(1)
    delivery.select_option(label=shipping.inner_text())
    page.locator("#id_lines-0-description").fill("Bodywork repair, front panel")
    page.locator("#id_lines-0-quantity").fill("2")
    page.locator("#id_lines-0-unit_price").fill("150.00")
    page.get_by_role("button", name="+ Add a line").click()
    page.locator("#id_lines-3-description").fill("Paint")
    page.locator("#id_lines-3-unit_price").fill("50")
    screenshot(page, "quote-new-filled")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Quote Q-000001")
    expect(page.locator("[data-seller]")).to_have_text("Bodywork Group Elfsquad, Pat Jansen")
    expect(page.locator("[data-total]")).to_have_text("€423.50")
    expect(page.get_by_text("Shipping: Kastanjelaan 12")).to_be_visible()
    screenshot(page, "quote-detail")


def test_an_order_above_the_limit_waits_for_management_and_is_approved(
    page: Page, sales_user, management_user
):
    """Sales submits an order above the limit; it waits; Management approves it; accepted."""
    customer = CustomerFactory(name="Acme Panels", credit_limit=1000)

    log_in(page, sales_user.username)
    page.goto(f"/accounts/{customer.pk}/")
    page.get_by_role("link", name="New order").click()
    expect(page.locator("#id_customer")).to_have_value("Acme Panels")
    expect(page.locator("#id_customer_id")).to_have_value(str(customer.pk))
    page.locator("#id_lines-0-description").fill("Press brake")
    page.locator("#id_lines-0-unit_price").fill("2000")
    page.get_by_role("button", name="Submit order").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Pending approval")
    expect(page.locator("[data-credit-reason]")).to_contain_text(
        "open exposure €0.00 + this order €2,420.00 = €2,420.00, which is €1,420.00 above the "
        "credit limit of €1,000.00"
    )
    expect(page.get_by_text("Waiting for Management's approval.")).to_be_visible()
    screenshot(page, "order-pending")
    log_out(page)

    log_in(page, management_user.username)
    page.get_by_role("link", name="Approvals").click()
    row = page.locator("tr[data-row]").filter(has_text="Acme Panels")
    expect(row).to_contain_text("2,420.00")
    row.get_by_role("button", name="Approve").click()
    # No comment: the Approvals page again, a clear message beside the order, nothing saved.
    expect(page.get_by_role("heading", level=1)).to_have_text("Approvals")
    expect(row.locator(".errors")).to_have_text("Say why: a comment is required.")
    screenshot(page, "approvals-comment-required")
    assert Order.objects.get().status == Order.Status.PENDING_APPROVAL
    row.get_by_label("Comment").fill("Known customer, pays on time.")
    row.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("status")).to_contain_text("was approved")
    expect(page.get_by_text("No order is waiting for approval.")).to_be_visible()
    expect(page.locator("tr[data-decision]")).to_contain_text("Known customer, pays on time.")
    assert Order.objects.get().status == Order.Status.ACCEPTED

    page.locator("tr[data-decision]").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accepted")
    expect(page.locator("[data-approval]")).to_contain_text(f"Approved by {management_user} on")
    screenshot(page, "order-approved")


def test_what_is_typed_before_the_scripts_load_still_gets_its_choices(page: Page, sales_user):
    """A customer and a seller typed while the page is still loading get their lists all the same.

    The page's scripts are held back until both boxes are filled, as on a slow connection: the
    customer's whole name, typed without a suggestion to pick, is taken as picked (it is the one
    account of that name) and its addresses fill the lists; the seller box, still being typed
    in, gets its suggestions, and picking one fills the seller's contacts.
    """
    seller = SellerAccountFactory(name="Bodywork Group Elfsquad")
    ContactFactory(account=seller, first_name="Pat", last_name="Jansen")
    CustomerFactory(name="Bodywork Customer")  # not one of ours: never suggested as the seller
    customer = CustomerFactory(name="Acme Panels")
    AddressFactory(account=customer, name="Shipping", city="Utrecht")
    log_in(page, sales_user.username)
    held = []
    page.route(
        re.compile(r"/static/(js/app|sales/documents)\.js$"), lambda route: held.append(route)
    )

    page.goto("/quotes/new/", wait_until="commit")
    page.get_by_label("Customer").fill("Acme Panels")
    page.get_by_label("Seller", exact=True).fill("Bodyw")
    for _ in range(100):
        if len(held) == 2:
            break
        page.wait_for_timeout(50)
    assert len(held) == 2, "the quote form's two scripts were never requested"
    assert page.locator("#id_customer_id").input_value() == ""
    for route in held:
        route.continue_()

    expect(page.locator("#id_customer_id")).to_have_value(str(customer.pk))
    expect(page.get_by_label("Customer")).to_have_value("Acme Panels")
    delivery = page.get_by_label("Delivery address")
    expect(delivery.locator("option", has_text=re.compile(r"^Shipping:"))).to_have_count(1)
    suggestions = page.get_by_role("listbox").get_by_role("option")
    expect(suggestions).to_have_count(1)
    expect(suggestions.locator(".name")).to_have_text("Bodywork Group Elfsquad")
    suggestions.click()
    expect(page.get_by_label("Seller", exact=True)).to_have_value("Bodywork Group Elfsquad")
    expect(page.locator("#id_seller_account_id")).to_have_value(str(seller.pk))
    contacts = page.get_by_label("Seller contact").locator("option", has_text="Pat Jansen")
    expect(contacts).to_have_count(1)


def test_typing_over_a_picked_customer_forgets_it(page: Page, sales_user):
    """The id goes with the name picked: typing another name clears it and the lists it filled,
    and the form then asks to pick rather than saving the earlier customer."""
    customer = CustomerFactory(name="Acme Panels")
    AddressFactory(account=customer, name="Shipping", city="Utrecht")
    log_in(page, sales_user.username)
    page.goto(f"/quotes/new/?customer={customer.pk}")
    box = page.get_by_label("Customer")
    delivery = page.get_by_label("Delivery address")
    expect(delivery.locator("option", has_text=re.compile(r"^Shipping:"))).to_have_count(1)

    box.fill("Acme Pan")
    expect(page.locator("#id_customer_id")).to_have_value("")
    expect(delivery.locator("option", has_text=re.compile(r"^Shipping:"))).to_have_count(0)
    page.locator("#id_lines-0-description").fill("Panel")
    page.locator("#id_lines-0-unit_price").fill("10")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_customer_errors")).to_have_text(
        "Pick an account from the suggestions."
    )
    expect(box).to_have_value("Acme Pan")
    expect(page.locator("#id_lines-0-description")).to_have_value("Panel")
    screenshot(page, "quote-customer-not-picked")


def test_the_quote_list_filters_on_a_customer_picked_in_its_box(page: Page, sales_user):
    """The filter's Customer box is an account box: pick a customer, Apply, see only theirs."""
    customer = CustomerFactory(name="Acme Panels")
    mine = QuoteFactory(customer=customer)
    other = QuoteFactory(customer=CustomerFactory(name="Acme Panels Trading"))
    log_in(page, sales_user.username)
    page.get_by_role("link", name="Quotes").click()
    box = page.get_by_label("Customer")
    box.press_sequentially("Acme")
    options = page.get_by_role("listbox").get_by_role("option")
    expect(options).to_have_count(2)
    options.locator(".name").get_by_text("Acme Panels", exact=True).click()
    page.get_by_role("button", name="Apply").click()

    expect(page).to_have_url(re.compile(rf"customer={customer.pk}"))
    rows = page.locator("tr[data-row]")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(mine.number)
    expect(page.get_by_label("Customer")).to_have_value("Acme Panels")
    assert other.number not in page.locator("table").inner_text()


def test_choosing_a_customer_on_credit_hold_warns_before_the_order_is_submitted(
    page: Page, sales_user
):
    """The warning and the "Enter it anyway, blocked" tick appear once the customer is picked."""
    CustomerFactory(name="Acme Panels", credit_hold=True, credit_hold_reason="Disputes invoice 12")
    log_in(page, sales_user.username)
    page.goto("/orders/new/")
    warning = page.locator("[data-hold-warning]")
    tick = page.get_by_label("Enter it anyway, blocked")
    expect(warning).to_be_hidden()
    expect(tick).to_be_hidden()

    page.get_by_role("combobox", name="Customer").fill("Acme")
    page.get_by_role("listbox").get_by_role("option").first.click()

    expect(warning).to_be_visible()
    expect(warning).to_have_text(
        "Acme Panels is on credit hold (reason: Disputes invoice 12): this order will be blocked "
        "unless it is prepaid; Accounting confirms a prepayment."
    )
    expect(tick).to_be_visible()
    screenshot(page, "order-customer-on-credit-hold")


def _type_line(page: Page, index: int, description: str, quantity: str, price: str, discount: str):
    page.locator(f"#id_lines-{index}-description").fill(description)
    page.locator(f"#id_lines-{index}-quantity").fill(quantity)
    page.locator(f"#id_lines-{index}-unit_price").press_sequentially(price)
    page.locator(f"#id_lines-{index}-discount_percent").fill(discount)


def _totals(page: Page) -> list[str]:
    """Subtotal, VAT and total as the form shows them."""
    return [page.locator(f"[data-{name}]").inner_text() for name in ("subtotal", "vat", "total")]


def test_the_order_form_shows_running_totals_and_the_server_saves_the_same(page: Page, sales_user):
    """Line amounts, subtotal, VAT and total follow what is typed; the saved order agrees."""
    customer = CustomerFactory(name="Acme Panels", credit_limit=100_000)
    log_in(page, sales_user.username)
    page.goto(f"/orders/new/?customer={customer.pk}")
    expect(page.locator("[data-total]")).to_have_text("€0.00")

    _type_line(page, 0, "Press brake tooling", "2", "1250.00", "5")
    row = page.locator(".lines-table tbody tr").nth(0)
    expect(row.locator("[data-line-amount]")).to_have_text("€2,375.00")
    _type_line(page, 1, "Installation", "8", "95", "0")
    _type_line(page, 2, "Travel", "1", "40", "0")
    expect(page.locator("[data-total]")).to_have_text("€3,841.75")
    # A removed line no longer counts.
    page.locator("#id_lines-2-DELETE").check()
    expect(page.locator(".lines-table tbody tr").nth(2).locator("[data-line-amount]")).to_have_text(
        ""
    )
    assert _totals(page) == ["€3,135.00", "€658.35", "€3,793.35"]
    # A line added with the button counts as soon as it has a price.
    page.get_by_role("button", name="+ Add a line").click()
    _type_line(page, 3, "Die set", "3", "0.35", "10")
    expect(page.locator("[data-subtotal]")).to_have_text("€3,135.95")
    page.locator("#id_lines-3-DELETE").check()
    page.get_by_label("VAT %").fill("9")
    expect(page.locator("[data-vat-rate]")).to_have_text("9")
    assert _totals(page) == ["€3,135.00", "€282.15", "€3,417.15"]
    screenshot(page, "order-running-totals")

    page.get_by_role("button", name="Submit order").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accepted")
    expect(page.locator("[data-total]")).to_have_text("€3,417.15")
    order = Order.objects.get()
    assert (str(order.subtotal), str(order.vat_amount), str(order.total)) == (
        "3135.00",
        "282.15",
        "3417.15",
    )


def test_enter_picks_the_highlighted_account_when_newer_suggestions_arrive(page: Page, sales_user):
    """The suggestions for "Ac" come first; those for "Acme" arrive after the arrow key has
    reached Acme Panels: Enter still picks it, and the form is not sent."""
    customer = CustomerFactory(name="Acme Panels")
    held = []

    def lookups(route):
        if route.request.url.endswith("q=Acme"):
            held.append(route)  # answered later, once the arrow key has been pressed
        else:
            route.continue_()

    log_in(page, sales_user.username)
    page.goto("/quotes/new/")
    page.route("**/accounts/lookup/**", lookups)
    box = page.get_by_label("Customer")
    box.press_sequentially("Ac")
    expect(page.get_by_role("option", name=re.compile("Acme Panels"))).to_be_visible()
    box.press_sequentially("me")
    page.wait_for_timeout(400)  # the box asks for "Acme" 200 ms after the last key
    box.press("ArrowDown")
    selected = page.get_by_role("listbox").get_by_role("option", selected=True)
    expect(selected).to_contain_text("Acme Panels")
    assert len(held) == 1
    held[0].continue_()
    page.wait_for_timeout(300)
    expect(selected).to_contain_text("Acme Panels")
    box.press("Enter")
    expect(box).to_have_value("Acme Panels")
    expect(page.locator("#id_customer_id")).to_have_value(str(customer.pk))
    expect(page).to_have_url(re.compile(r"/quotes/new/$"))


def test_running_totals_read_and_show_numbers_the_dutch_way(page: Page, sales_user):
    """In Dutch, "1250,5" is read as 1250.50 and the totals show as "€ 1.234,56"."""
    log_in(page, sales_user.username)
    sales_user.language = "nl"  # the user's choice, from the next page on
    sales_user.save(update_fields=["language"])
    page.goto("/quotes/new/")
    _type_line(page, 0, "Kantbank", "2", "1250,5", "0")
    _type_line(page, 1, "Montage", "1,5", "10", "0")
    expect(page.locator(".lines-table tbody tr").nth(0).locator("[data-line-amount]")).to_have_text(
        "€\u00a02.501,00"
    )
    page.get_by_label("btw %").fill("21")
    expect(page.locator("[data-total]")).to_have_text("€\u00a03.044,36")
    assert _totals(page) == ["€\u00a02.516,00", "€\u00a0528,36", "€\u00a03.044,36"]
    screenshot(page, "quote-running-totals-dutch")
    # A single dot without three digits after it is a decimal point, as the server reads it.
    page.locator("#id_lines-1-unit_price").fill("10.50")
    expect(page.locator(".lines-table tbody tr").nth(1).locator("[data-line-amount]")).to_have_text(
        "€\u00a015,75"
    )


def test_back_then_submit_again_enters_no_second_order(page: Page, sales_user):
    """Chromium fetches the form again on Back, with a new key, and restores only what was
    typed: the page's script puts the form's first key back for that history entry, so the
    server finds the order it entered and shows the form as typed instead of a second order."""
    customer = CustomerFactory(name="Acme Panels")
    log_in(page, sales_user.username)
    page.goto(f"/orders/new/?customer={customer.pk}")
    _type_line(page, 0, "Press brake tooling", "2", "100", "0")
    page.get_by_role("button", name="Submit order").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accepted")
    order = Order.objects.get()

    page.go_back()
    page.locator("#id_lines-0-quantity").fill("3")
    page.get_by_role("button", name="Submit order").click()
    saved = page.locator("div.form-errors a")
    expect(saved).to_have_text(order.number)
    expect(page.locator("#id_lines-0-quantity")).to_have_value("3")
    screenshot(page, "order-submitted-again")
    assert Order.objects.count() == 1

    # A new form is a new order.
    page.goto(f"/orders/new/?customer={customer.pk}")
    _type_line(page, 0, "Press brake tooling", "2", "100", "0")
    page.get_by_role("button", name="Submit order").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accepted")
    assert Order.objects.count() == 2


def test_the_lines_on_a_dutch_phone_line_up_and_a_removed_line_fades(page: Page, sales_user):
    """A tester found the totals' amounts at different places, the remove box apart from its
    label, and a line ticked for removal looking like any other."""
    log_in(page, sales_user.username)
    sales_user.language = "nl"
    sales_user.save(update_fields=["language"])
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/quotes/new/")
    _type_line(page, 0, "Kantbank", "2", "100", "0")
    _type_line(page, 1, "Montage", "1", "50", "0")
    page.get_by_label("btw %").fill("21")
    expect(page.locator("[data-total]")).to_have_text("€\u00a0302,50")

    amounts = page.locator(".lines-table tfoot output")
    rights = {
        round(box["x"] + box["width"]) for box in (amounts.nth(i).bounding_box() for i in range(3))
    }
    assert len(rights) == 1, rights  # one right edge for the three amounts

    second = page.locator(".lines-table tbody tr").nth(1)
    remove = second.locator(".remove")
    box, label = remove.locator("input").bounding_box(), remove.locator("label").bounding_box()
    assert (
        box["x"] < label["x"]
        and abs(box["y"] + box["height"] / 2 - (label["y"] + label["height"] / 2)) < 4
    )
    assert second.locator("td.description").evaluate("td => getComputedStyle(td).opacity") == "1"
    remove.locator("input").check()
    assert (
        float(second.locator("td.description").evaluate("td => getComputedStyle(td).opacity")) < 1
    )
    expect(page.locator("[data-total]")).to_have_text("€\u00a0242,00")
    second.screenshot(path=ARTIFACTS / "quote-line-removed-phone-nl.png")
    page.locator(".lines-table tfoot").screenshot(path=ARTIFACTS / "quote-totals-phone-nl.png")


def test_the_dutch_approvals_page_keeps_its_button_words_whole(page: Page, accounting_user):
    """A tester saw "Vooruitbetalin|g bevestigen" and "Niet ontvang|en" at 1280 px: a table
    cell let its buttons break anywhere to squeeze the column."""
    from tests.sales.factories import OrderFactory

    OrderFactory(status=Order.Status.AWAITING_PREPAYMENT, prepaid=True)
    log_in(page, accounting_user.username)
    accounting_user.language = "nl"
    accounting_user.save(update_fields=["language"])
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/approvals/")
    row = page.locator("tr[data-prepayment-row]")
    expect(row.get_by_role("button", name="Vooruitbetaling bevestigen")).to_be_visible()
    words = page.evaluate(
        """() => [...document.querySelectorAll('.decision-form .button')].flatMap((button) => {
          const text = button.firstChild;
          return [...text.textContent.matchAll(/\\S+/g)].map((word) => {
            const range = document.createRange();
            range.setStart(text, word.index);
            range.setEnd(text, word.index + word[0].length);
            const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
            return [word[0], tops.size];
          });
        })"""
    )
    assert words and all(lines == 1 for _, lines in words), words
    screenshot(page, "approvals-nl")
