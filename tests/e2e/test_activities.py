"""The activities journey in a real browser: log a call, give a colleague a task, the colleague
finds it on My work, marks it done, and the account's timeline shows who did it."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from tests.accounts.factories import AccountFactory, ContactFactory
from tests.e2e.conftest import ARTIFACTS, log_in, screenshot
from tests.users.factories import UserFactory


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login/$"))


def tab_to(page: Page, target: Locator, most: int = 8) -> None:
    """Press Tab until `target` has the focus, as a keyboard user would."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{target} never got the focus by Tab")


def test_log_a_call_give_a_colleague_a_task_and_see_it_done(page: Page, sales_user):
    account = AccountFactory(name="Acme Panels")
    ContactFactory(account=account, first_name="Pat", last_name="Jansen")
    colleague = UserFactory(username="kim", first_name="Kim", last_name="Peters", groups=["Sales"])

    log_in(page, sales_user.username)
    # The landing page after the login is My work.
    expect(page).to_have_url(re.compile(r"/my-work/$"))
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    page.goto(account.get_absolute_url())

    # Log a call with the keyboard only: each field by Tab, the form sent with Enter.
    form = page.locator("form.activity-quick-form")
    form.get_by_label("Kind").focus()
    page.keyboard.press("c")  # "Call"
    expect(form.get_by_label("Kind")).to_have_value("call")
    page.keyboard.press("Tab")
    expect(form.get_by_label("Subject")).to_be_focused()
    page.keyboard.type("Asked about delivery times")
    # The details next; When stays at now.
    tab_to(page, form.get_by_label("Details"))
    page.keyboard.type("Needs the panels before Friday.")
    page.keyboard.press("Enter")
    page.keyboard.type("<b>Not bold</b> & kept as typed")
    form.get_by_label("Contact").select_option(label="Pat Jansen")
    form.get_by_label("Subject").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("was added to the timeline")
    call = page.locator('li.timeline-entry[data-kind="call"]')
    expect(call.locator(".timeline-title")).to_contain_text("Asked about delivery times")
    # Escaped, and the line break kept.
    expect(call.locator(".timeline-body")).to_have_text(
        "Needs the panels before Friday.\n<b>Not bold</b> & kept as typed", use_inner_text=True
    )
    expect(call.locator(".timeline-body br")).to_have_count(1)
    expect(call.locator(".timeline-meta")).to_contain_text("with Pat Jansen")
    screenshot(page, "activities-call-logged")

    # A task for a colleague, due in two days.
    due = timezone.localtime() + datetime.timedelta(days=2)
    form = page.locator("form.activity-quick-form")
    form.get_by_label("Kind").select_option("task")
    form.get_by_label("Subject").fill("Send a revised quote")
    form.get_by_label("When").fill(due.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label("Assigned to").select_option(label="Kim Peters")
    form.get_by_role("button", name="Add to the timeline").click()
    expect(page.get_by_role("status")).to_contain_text("Send a revised quote")
    task = page.locator('li.timeline-entry[data-kind="task"]')
    expect(task.locator("[data-state]")).to_have_text("Open")
    expect(task.locator(".timeline-meta")).to_contain_text("for Kim Peters")
    screenshot(page, "activities-task-for-colleague")
    log_out(page)

    log_in(page, colleague.username)
    expect(page).to_have_url(re.compile(r"/my-work/$"))
    row = page.locator("table.my-tasks tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Send a revised quote")
    expect(row).to_contain_text("Acme Panels")
    screenshot(page, "activities-my-work")
    row.get_by_role("button", name="Mark done").click()
    expect(page.get_by_role("status")).to_contain_text("“Send a revised quote” is done.")
    expect(page.locator("table.my-tasks")).to_have_count(0)
    expect(page.get_by_text("No open tasks.")).to_be_visible()
    screenshot(page, "activities-my-work-done")

    page.goto(account.get_absolute_url())
    task = page.locator('li.timeline-entry[data-kind="task"]')
    expect(task.locator('[data-state="done"]')).to_contain_text("Done by Kim Peters")
    # Marked done by mistake: opened again, back on My work, and closed once more.
    task.get_by_role("button", name="Reopen").click()
    expect(page.get_by_role("status")).to_contain_text("“Send a revised quote” is open again.")
    expect(task.locator("[data-state]")).to_have_text("Open")
    screenshot(page, "activities-task-reopened")
    task.get_by_role("button", name="Mark done").click()
    expect(task.locator('[data-state="done"]')).to_contain_text("Done by Kim Peters")
    page.get_by_label("Show").select_option("call")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.locator("li.timeline-entry")).to_have_count(1)
    expect(page.locator("li.timeline-entry")).to_have_attribute("data-kind", "call")
    page.get_by_label("Show").select_option("")
    page.get_by_role("button", name="Show", exact=True).click()
    timeline = page.locator("#timeline")
    timeline.scroll_into_view_if_needed()
    screenshot(page, "activities-timeline-done")


def _a_task_on_a_dutch_phone(page: Page, user, *, width: int, height: int, **task) -> None:
    """Log in as `user`, in Dutch, and open the page of an account with one task of theirs."""
    from activities.models import Activity
    from tests.activities.factories import ActivityFactory

    account = AccountFactory(name="Acme Panels")
    ActivityFactory(
        account=account,
        kind=Activity.Kind.TASK,
        subject="Approve the framework agreement",
        created_by=user,
        **task,
    )
    log_in(page, user.username)
    user.language = "nl"
    user.save(update_fields=["language"])
    page.set_viewport_size({"width": width, "height": height})
    page.goto(account.get_absolute_url())


def test_on_a_dutch_phone_the_timeline_actions_keep_their_words_whole(page: Page, sales_user):
    """A tester saw "Bewerke|n" and "Verwijdere|n" split at 390 px: the actions wrap as a whole."""
    _a_task_on_a_dutch_phone(
        page, sales_user, width=390, height=844,
        occurred_at=timezone.now() + datetime.timedelta(days=6),
    )  # fmt: skip
    actions = page.locator(".timeline-actions").first
    expect(actions.get_by_role("link", name="Verwijderen")).to_be_visible()
    lines = page.evaluate(
        """() => [...document.querySelectorAll('.timeline-actions > *')].map((item) => {
          const range = document.createRange();
          range.selectNodeContents(item.querySelector('button') || item);
          const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
          return [item.textContent.trim(), tops.size];
        })"""
    )
    assert lines and all(count == 1 for _, count in lines), lines
    # Looked at: the button and the links keep their words; the links wrap below as a whole.
    page.locator(".timeline-entry").first.screenshot(path=ARTIFACTS / "timeline-entry-phone-nl.png")


def test_on_a_dutch_phone_a_done_tasks_badge_stays_inside_its_card(page: Page, sales_user):
    """ "Afgerond door … op …" is a sentence: a tester saw it run past the card at 375 px."""
    sales_user.first_name, sales_user.last_name = "Arjen", "Bakker-Vandenberghe"
    sales_user.save(update_fields=["first_name", "last_name"])
    _a_task_on_a_dutch_phone(
        page, sales_user, width=375, height=812,
        assigned_to=sales_user, done_at=timezone.now(), done_by=sales_user,
    )  # fmt: skip
    badge = page.locator(".timeline-entry .badge.done").first
    expect(badge).to_contain_text("Afgerond door Arjen Bakker-Vandenberghe op")
    card = page.locator("section.timeline-panel")
    badge_box, card_box = badge.bounding_box(), card.bounding_box()
    assert badge_box and card_box
    assert badge_box["x"] + badge_box["width"] <= card_box["x"] + card_box["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.locator(".timeline-entry").first.screenshot(path=ARTIFACTS / "timeline-done-phone-nl.png")


def _about_now(value: str) -> bool:
    shown = datetime.datetime.fromisoformat(value)
    return abs(shown - timezone.localtime().replace(tzinfo=None)) < datetime.timedelta(minutes=3)


def test_a_new_task_is_due_tomorrow_not_overdue_at_once(page: Page, sales_user):
    """ "When" starts at now, so a task saved as it stood was overdue straight away (a tester),
    in the quick form and in the full one."""
    account = AccountFactory(name="Acme Panels")
    log_in(page, sales_user.username)
    page.goto(account.get_absolute_url())
    form = page.locator("form.activity-quick-form")
    when = form.locator("input[name=occurred_at]")
    form.get_by_label("Kind").select_option("task")
    tomorrow = f"{(timezone.localdate() + datetime.timedelta(days=1)).isoformat()}T09:00"
    expect(when).to_have_value(tomorrow)
    form.get_by_label("Subject").fill("Send the framework agreement")
    form.get_by_role("button", name="Add to the timeline").click()
    entry = page.locator("li.timeline-entry").first
    expect(entry).to_contain_text("Send the framework agreement")
    expect(entry.locator("[data-state]")).to_have_attribute("data-state", "open")

    # Made something else again it is now again; a time the user typed is never replaced.
    form.get_by_label("Kind").select_option("task")
    form.get_by_label("Kind").select_option("call")
    assert _about_now(when.input_value())
    when.fill("2027-01-04T14:30")
    form.get_by_label("Kind").select_option("task")
    expect(when).to_have_value("2027-01-04T14:30")

    # A task sent without a subject comes back on the full form, still due tomorrow; made a
    # call there, it is a call of now, not one planned for tomorrow.
    page.goto(account.get_absolute_url())
    form.get_by_label("Kind").select_option("task")
    form.get_by_role("button", name="Add to the timeline").click()
    page.wait_for_url(re.compile(r"/activities/new/"))
    page.wait_for_load_state()  # the script is listening only from DOMContentLoaded on
    full = page.locator("form[data-new-activity]")
    expect(
        full.get_by_text("Give the activity a subject: what was it about?", exact=True)
    ).to_be_visible()
    full_when = full.locator("input[name=occurred_at]")
    expect(full_when).to_have_value(tomorrow)
    full.get_by_label("Kind").select_option("call")
    assert _about_now(full_when.input_value())
    full.get_by_label("Kind").select_option("task")
    expect(full_when).to_have_value(tomorrow)
