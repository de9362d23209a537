import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountChange, Contact
from activities.models import BODY_MAX_LENGTH, Activity
from activities.selectors import account_timeline
from sales.models import Invoice, Order, Quote
from tests.accounts.factories import AccountFactory, ContactFactory
from tests.activities.factories import ActivityFactory
from tests.html import field_errors, parse
from tests.sales.factories import (
    ApprovalFactory,
    InvoiceFactory,
    OrderFactory,
    PrepaymentDecisionFactory,
    QuoteFactory,
)
from tests.users.factories import UserFactory

pytestmark = pytest.mark.django_db


def timeline_entries(response):
    return parse(response.content).find("ol", class_="timeline").find_all("li")


def local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


class TestWriting:
    def test_logging_a_call_from_the_account_page(self, as_user, sales_user):
        account = AccountFactory()
        contact = ContactFactory(account=account)
        client = as_user(sales_user)
        page = parse(client.get(account.get_absolute_url()).content)
        form = page.find("form", class_="activity-quick-form")
        assert form.attrs["action"] == reverse("activities:create", args=[account.pk])
        response = client.post(
            form.attrs["action"],
            {
                "kind": "call",
                "subject": "Asked about delivery",
                "body": "Needs it\nbefore Friday <urgent>",
                "occurred_at": local(timezone.now()),
                "contact": contact.pk,
            },
        )
        assert response.status_code == 302
        call = Activity.objects.get()
        assert (call.kind, call.contact, call.created_by) == ("call", contact, sales_user)
        entry = timeline_entries(client.get(account.get_absolute_url()))[0]
        assert entry.attrs["data-kind"] == "call"
        body = entry.find("div", class_="timeline-body")
        # Shown escaped, with its line break.
        assert "Needs it" in body.text and "before Friday <urgent>" in body.text
        assert body.find_all("br")

    def test_an_empty_subject_is_explained_and_nothing_typed_is_lost(self, as_user, sales_user):
        account = AccountFactory()
        response = as_user(sales_user).post(
            reverse("activities:create", args=[account.pk]),
            {"kind": "note", "subject": "  ", "body": "What I typed", "occurred_at": ""},
        )
        assert response.status_code == 200
        assert "subject" in field_errors(response.content, "subject")
        assert parse(response.content).find("textarea", name="body").text == "What I typed"
        assert not Activity.objects.exists()

    def test_a_hundred_thousand_characters_get_a_clear_message(self, as_user, sales_user):
        account = AccountFactory()
        body = "x" * 100_000
        response = as_user(sales_user).post(
            reverse("activities:create", args=[account.pk]),
            {"kind": "note", "subject": "Long", "body": body, "occurred_at": local(timezone.now())},
        )
        assert response.status_code == 200
        message = field_errors(response.content, "body")
        assert f"{BODY_MAX_LENGTH:d}" in message.replace(",", "") and "100000" in message
        textarea = parse(response.content).find("textarea", name="body")
        assert "maxlength" not in textarea.attrs
        assert len(textarea.text) > BODY_MAX_LENGTH
        assert not Activity.objects.exists()

    def test_a_task_due_in_the_past_is_saved_and_flagged(self, as_user, sales_user):
        account = AccountFactory()
        colleague = UserFactory(groups=["Sales"])
        yesterday = timezone.now() - datetime.timedelta(days=1)
        client = as_user(sales_user)
        response = client.post(
            reverse("activities:create", args=[account.pk]),
            {
                "kind": "task",
                "subject": "Send the samples",
                "occurred_at": local(yesterday),
                "assigned_to": colleague.pk,
            },
        )
        task = Activity.objects.get()
        assert task.assigned_to == colleague and task.is_open
        levels = [m.level_tag for m in get_messages(response.wsgi_request)]
        assert levels == ["success", "warning"]

    def test_a_contact_of_another_account_is_refused(self, as_user, sales_user):
        account = AccountFactory()
        stranger = ContactFactory()
        response = as_user(sales_user).post(
            reverse("activities:create", args=[account.pk]),
            {"kind": "note", "subject": "Hi", "occurred_at": local(timezone.now()),
             "contact": stranger.pk},
        )  # fmt: skip
        assert response.status_code == 200
        assert field_errors(response.content, "contact")
        assert not Activity.objects.exists()

    def test_accounting_reads_the_timeline_without_the_form(self, as_user, accounting_user):
        note = ActivityFactory()
        response = as_user(accounting_user).get(note.account.get_absolute_url())
        assert [e.attrs["id"] for e in timeline_entries(response)] == [f"activity-{note.pk}"]
        assert not parse(response.content).find_all("form", class_="activity-quick-form")
        post = as_user(accounting_user).post(
            reverse("activities:create", args=[note.account.pk]), {"subject": "x"}
        )
        assert post.status_code == 403

    def test_a_reader_without_sales_rights_sees_no_document_of_an_activity(self, as_user):
        """Rights given by hand in the admin: the activity shows, its quote and order do not."""
        reader = UserFactory()
        reader.user_permissions.set(
            Permission.objects.filter(codename__in=["view_account", "view_activity"])
        )
        order = OrderFactory()
        note = ActivityFactory(account=order.customer, order=order, quote=QuoteFactory())
        text = timeline_entries(as_user(reader).get(note.account.get_absolute_url()))[0].text
        assert note.subject in text
        assert order.number not in text and note.quote.number not in text

    def test_only_the_author_sees_edit_and_delete_and_others_are_refused(self, as_user, sales_user):
        note = ActivityFactory(created_by=sales_user)
        colleague = UserFactory(groups=["Sales"])
        client = as_user(colleague)
        entry = timeline_entries(client.get(note.account.get_absolute_url()))[0]
        assert not entry.find_all("a", href=reverse("activities:update", args=[note.pk]))
        assert client.get(reverse("activities:update", args=[note.pk])).status_code == 403
        assert client.post(reverse("activities:delete", args=[note.pk])).status_code == 403
        note.refresh_from_db()
        assert note.deleted_at is None

    def test_a_deleted_note_leaves_a_trace_on_the_timeline(self, as_user, sales_user):
        note = ActivityFactory(created_by=sales_user, subject="Wrong customer", body="Secret")
        client = as_user(sales_user)
        response = client.post(reverse("activities:delete", args=[note.pk]))
        assert response.status_code == 302
        assert [str(m) for m in get_messages(response.wsgi_request)] == [
            "“Wrong customer” was deleted."
        ]
        entry = timeline_entries(client.get(note.account.get_absolute_url()))[0]
        assert "deleted" in entry.classes
        assert entry.find("del").text == "Wrong customer"
        assert "Secret" not in entry.text and str(sales_user) in entry.text

    def test_a_new_activitys_when_box_says_when_a_task_is_due_by_default(self, as_user, sales_user):
        """In the server's time zone, which the box's times are in: the browser's clock set the
        default a day off for a user in another zone (found clicking through)."""
        account = AccountFactory()
        page = parse(as_user(sales_user).get(account.get_absolute_url()).content)
        box = page.find("form", class_="activity-quick-form").find("input", name="occurred_at")
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        assert box.attrs["data-now"] == box.attrs["value"]
        assert box.attrs["data-task-due"] == f"{tomorrow.isoformat()}T09:00"
        note = ActivityFactory(account=account, created_by=sales_user)
        edit = parse(as_user(sales_user).get(reverse("activities:update", args=[note.pk])).content)
        assert "data-task-due" not in edit.find("input", name="occurred_at").attrs

    def test_the_delete_confirmation_speaks_the_users_language(self, as_user, sales_user):
        note = ActivityFactory(created_by=sales_user)
        sales_user.language = "nl"
        sales_user.save(update_fields=["language"])
        page = as_user(sales_user).get(reverse("activities:delete", args=[note.pk]))
        assert "De details worden verwijderd" in page.content.decode()

    @pytest.mark.parametrize("path", ["create", "update"])
    def test_a_task_for_nobody_named_is_saved_for_the_writer(self, as_user, sales_user, path):
        """The help text promises it: "A task without anyone named goes to you"."""
        note = ActivityFactory(created_by=sales_user)
        url = (
            reverse("activities:create", args=[note.account.pk])
            if path == "create"
            else reverse("activities:update", args=[note.pk])
        )
        due = local(timezone.now() + datetime.timedelta(days=1))
        response = as_user(sales_user).post(
            url, {"kind": "task", "subject": "Plan a visit", "occurred_at": due, "assigned_to": ""}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        task = Activity.objects.get(subject="Plan a visit")
        assert task.is_open and task.assigned_to == sales_user

    @pytest.mark.parametrize("when", ["0001-01-01T00:00", "1899-12-31T23:59", "9999-12-31T23:59"])
    def test_a_date_out_of_any_plausible_range_is_explained(self, as_user, sales_user, when):
        note = ActivityFactory(created_by=sales_user)
        client = as_user(sales_user)
        for url in (
            reverse("activities:create", args=[note.account.pk]),
            reverse("activities:update", args=[note.pk]),
        ):
            response = client.post(
                url, {"kind": "note", "subject": "Old", "body": "Typed", "occurred_at": when}
            )
            assert response.status_code == 200
            assert "1900" in field_errors(response.content, "occurred_at")
            assert parse(response.content).find("textarea", name="body").text == "Typed"
        note.refresh_from_db()
        assert Activity.objects.get() == note and note.subject != "Old"

    def test_an_edit_of_a_note_deleted_meanwhile_says_so_and_keeps_the_text(
        self, as_user, sales_user
    ):
        note = ActivityFactory(created_by=sales_user)
        client = as_user(sales_user)
        client.post(reverse("activities:delete", args=[note.pk]))
        response = client.post(
            reverse("activities:update", args=[note.pk]),
            {"kind": "note", "subject": "Edited", "body": "My edit",
             "occurred_at": local(timezone.now())},
        )  # fmt: skip
        assert response.status_code == 200
        assert "deleted" in parse(response.content).find(class_="form-errors").text
        assert parse(response.content).find("textarea", name="body").text == "My edit"
        note.refresh_from_db()
        assert note.subject != "Edited"
        opened = client.get(reverse("activities:update", args=[note.pk]))
        assert opened.status_code == 302 and opened.url == note.get_absolute_url()
        assert "deleted" in str(list(get_messages(opened.wsgi_request))[-1])

    def test_more_fields_carries_what_was_typed_into_the_full_form(self, as_user, sales_user):
        account = AccountFactory()
        contact = ContactFactory(account=account)
        client = as_user(sales_user)
        form = parse(client.get(account.get_absolute_url()).content).find(
            "form", class_="activity-quick-form"
        )
        more = form.find("button", name="more")
        when = local(timezone.now() + datetime.timedelta(hours=2))
        typed = {
            "kind": "meeting",
            "subject": "Visit",
            "body": "Bring samples\nand prices",
            "occurred_at": when,
            "contact": contact.pk,
            more.attrs["name"]: more.attrs["value"],
        }
        response = client.post(form.attrs["action"], typed)
        assert response.status_code == 200
        page = parse(response.content)
        assert page.find("select", name="quote")  # the full form
        assert page.find("input", name="subject").attrs["value"] == "Visit"
        body = page.find("textarea", name="body")
        assert [child.strip() for child in body.children] == ["Bring samples\nand prices"]
        assert page.find("input", name="occurred_at").attrs["value"] == when
        chosen = {s.attrs["name"]: s.find("option", selected="") for s in page.find_all("select")}
        assert chosen["kind"].attrs["value"] == "meeting"
        assert chosen["contact"].attrs["value"] == str(contact.pk)
        assert not page.find_all(class_="has-error")  # nothing refused yet
        assert not Activity.objects.exists()

    def test_more_fields_needs_the_right_to_write(self, as_user, accounting_user):
        account = AccountFactory()
        response = as_user(accounting_user).post(
            reverse("activities:create", args=[account.pk]), {"subject": "x", "more": "1"}
        )
        assert response.status_code == 403

    def test_more_fields_on_an_edit_saves_as_the_edit_form_does(self, as_user, sales_user):
        note = ActivityFactory(created_by=sales_user)
        response = as_user(sales_user).post(
            reverse("activities:update", args=[note.pk]),
            {"kind": "note", "subject": "Saved", "occurred_at": local(note.occurred_at),
             "more": "1"},
        )  # fmt: skip
        assert response.status_code == 302
        note.refresh_from_db()
        assert note.subject == "Saved"

    def test_a_colleague_is_refused_a_deleted_note_as_any_other(self, as_user, sales_user):
        note = ActivityFactory(created_by=sales_user)
        as_user(sales_user).post(reverse("activities:delete", args=[note.pk]))
        client = as_user(UserFactory(groups=["Sales"]))
        for path in ("activities:update", "activities:delete"):
            assert client.get(reverse(path, args=[note.pk])).status_code == 403
            assert client.post(reverse(path, args=[note.pk]), {"more": "1"}).status_code == 403

    def test_deleting_a_note_deleted_meanwhile_says_so(self, as_user, sales_user):
        note = ActivityFactory(created_by=sales_user)
        client = as_user(sales_user)
        client.post(reverse("activities:delete", args=[note.pk]))
        for method in (client.get, client.post):
            response = method(reverse("activities:delete", args=[note.pk]))
            assert response.status_code == 302 and response.url == note.get_absolute_url()
            assert "deleted already" in str(list(get_messages(response.wsgi_request))[-1])

    def test_edit_keeps_what_was_typed_on_a_refusal(self, as_user, sales_user):
        note = ActivityFactory(created_by=sales_user)
        response = as_user(sales_user).post(
            reverse("activities:update", args=[note.pk]),
            {"kind": "note", "subject": "", "body": "New text", "occurred_at": "tomorrow"},
        )
        assert response.status_code == 200
        assert field_errors(response.content, "occurred_at")
        assert parse(response.content).find("textarea", name="body").text == "New text"


class TestTimeline:
    def test_merges_activities_documents_and_history_newest_first(self, as_user, management_user):
        account = AccountFactory()
        now = timezone.now()
        ActivityFactory(
            account=account, subject="Old note", occurred_at=now - datetime.timedelta(days=5)
        )
        QuoteFactory(customer=account, number="Q-1", created_at=now - datetime.timedelta(days=4))
        order = OrderFactory(
            customer=account, number="O-1", created_at=now - datetime.timedelta(days=3)
        )
        ApprovalFactory(order=order, decided_at=now - datetime.timedelta(days=2))
        AccountChange.objects.create(
            account=account, field="credit_limit", old_value="", new_value="5000",
            changed_at=now - datetime.timedelta(days=1),
        )  # fmt: skip
        response = as_user(management_user).get(account.get_absolute_url())
        sources = [e.attrs["data-source"] for e in timeline_entries(response)]
        assert sources == ["change", "approval", "order", "quote", "activity"]

    def test_history_entries_show_values_as_the_page_does(self, as_user, management_user):
        account = AccountFactory()
        AccountChange.objects.create(
            account=account,
            field="credit_limit",
            old_value="",
            new_value="5000.00",
            changed_at=timezone.now(),
        )
        AccountChange.objects.create(
            account=account,
            field="credit_hold",
            old_value="No",
            new_value="Yes",
            changed_at=timezone.now(),
        )
        management_user.language = "nl"
        management_user.save(update_fields=["language"])
        response = as_user(management_user).get(account.get_absolute_url())
        texts = [" ".join(e.text.split()) for e in timeline_entries(response)]
        assert any("Nee → Ja" in text for text in texts), texts
        assert any("— → € 5.000,00" in text for text in texts), texts
        # Dated the Dutch way, the month in lower case: "4 dec 2026 18:49".
        assert all(re.match(r"\d{1,2} [a-z]{3} \d{4} \d\d:\d\d ", text) for text in texts), texts

    def test_made_inactive_and_active_again_say_so(self, as_user, management_user):
        account = AccountFactory()
        for old, new, days in (("Yes", "No", 2), ("No", "Yes", 1)):
            AccountChange.objects.create(
                account=account, field="is_active", old_value=old, new_value=new,
                changed_at=timezone.now() - datetime.timedelta(days=days),
            )  # fmt: skip
        response = as_user(management_user).get(account.get_absolute_url(), {"show": "history"})
        titles = [
            " ".join(e.find("p", class_="timeline-title").text.split())
            for e in timeline_entries(response)
        ]
        assert titles == ["History Made active again", "History Made inactive"]
        filters = parse(response.content).find("select", name="show").find_all("option")
        assert "Account changes" in [o.text for o in filters]

    def test_filter_by_kind(self, as_user, sales_user):
        account = AccountFactory()
        ActivityFactory(account=account, kind="call")
        ActivityFactory(account=account, kind="note")
        QuoteFactory(customer=account)
        client = as_user(sales_user)
        calls = timeline_entries(client.get(account.get_absolute_url(), {"show": "call"}))
        assert [e.attrs["data-kind"] for e in calls] == ["call"]
        documents = timeline_entries(client.get(account.get_absolute_url(), {"show": "documents"}))
        assert [e.attrs["data-source"] for e in documents] == ["quote"]
        # A value the filter does not know shows everything.
        everything = timeline_entries(client.get(account.get_absolute_url(), {"show": "<x>"}))
        assert len(everything) == 3

    def test_pages_through_everything_once(self, as_user, sales_user):
        account = AccountFactory()
        same_moment = timezone.now() - datetime.timedelta(hours=2)
        made = {ActivityFactory(account=account, occurred_at=same_moment).pk for _ in range(23)}
        made |= {ActivityFactory(account=account).pk for _ in range(20)}
        client = as_user(sales_user)
        seen, url, params = [], account.get_absolute_url(), {}
        for _ in range(5):
            response = client.get(url, params)
            seen += [int(e.attrs["id"].split("-")[1]) for e in timeline_entries(response)]
            older = parse(response.content).find_all("a", rel="next")
            if not older:
                break
            params = {"before": older[0].attrs["href"].split("before=")[1].split("#")[0]}
        assert len(seen) == len(set(seen)) == 43
        assert set(seen) == made

    @pytest.mark.parametrize("before", ["junk", "9" * 17 + ".1.1", "1.1", "-5.7.1", "0.7.0"])
    def test_a_mistyped_page_key_shows_a_page(self, as_user, sales_user, before):
        note = ActivityFactory()
        response = as_user(sales_user).get(note.account.get_absolute_url(), {"before": before})
        assert response.status_code == 200

    @pytest.mark.parametrize("size", [1, 2, 3, 20])
    def test_entries_of_one_moment_page_in_order_without_repeats(self, admin_user, size):
        """Every source at the same instant: each page follows on from the last in (time,
        source, id) order, down to the microsecond-free timestamps SQLite stores as text."""
        account = AccountFactory()
        moment = timezone.now().replace(microsecond=0)
        later = moment + datetime.timedelta(microseconds=500)
        for when in (moment, later):
            order = OrderFactory(customer=account)
            Order.objects.filter(pk=order.pk).update(created_at=when)
            # Three quotes: the low-ranked source then has the higher ids.
            quotes = QuoteFactory.create_batch(3, customer=account)
            Quote.objects.filter(pk__in=[q.pk for q in quotes]).update(created_at=when)
            ApprovalFactory(order=order, decided_at=when)
            PrepaymentDecisionFactory(order=order, decided_at=when)
            invoice = InvoiceFactory(order=order, customer=account, paid_at=when)
            Invoice.objects.filter(pk=invoice.pk).update(created_at=when)
            ActivityFactory(account=account, occurred_at=when)
            AccountChange.objects.create(
                account=account, field="credit_hold", old_value="No", new_value="Yes",
                changed_at=when,
            )  # fmt: skip
        seen, before = [], ""
        while True:
            page = account_timeline(
                account_id=account.pk, user=admin_user, before=before, size=size
            )
            seen += [entry.key for entry in page.entries]
            if not page.next_cursor:
                break
            before = page.next_cursor
        assert len(seen) == len(set(seen)) == 20
        assert seen == sorted(seen, reverse=True)
        assert {rank for _at, rank, _pk in seen} == set(range(1, 9))

    @pytest.mark.parametrize("size", [1, 2, 3, 20])
    def test_newer_pages_lead_back_the_way_older_ones_came(self, admin_user, size):
        """Paged back from the oldest page with "Newer", each page is the one seen going down:
        no entry lost or repeated, even among entries of one moment (a tester missed the way
        back: only "Newest" jumped to the top)."""
        account = AccountFactory()
        moment = timezone.now().replace(microsecond=0)
        for when in (moment, moment + datetime.timedelta(microseconds=500)):
            order = OrderFactory(customer=account)
            Order.objects.filter(pk=order.pk).update(created_at=when)
            quotes = QuoteFactory.create_batch(3, customer=account)
            Quote.objects.filter(pk__in=[q.pk for q in quotes]).update(created_at=when)
            ActivityFactory(account=account, occurred_at=when)
        going_down, before = [], ""
        while True:
            page = account_timeline(
                account_id=account.pk, user=admin_user, before=before, size=size
            )
            going_down.append([entry.key for entry in page.entries])
            if not page.next_cursor:
                break
            before = page.next_cursor
        assert page.newer_cursor or len(going_down) == 1
        going_up, after = [going_down[-1]], page.newer_cursor
        while after:
            page = account_timeline(account_id=account.pk, user=admin_user, after=after, size=size)
            going_up.append([entry.key for entry in page.entries])
            assert page.next_cursor  # the way down again
            after = page.newer_cursor
        assert going_up == going_down[::-1]

    @pytest.mark.parametrize("key", ["after", "before"])
    def test_a_page_past_either_end_shows_the_newest(self, as_user, sales_user, key):
        """A stale or edited key gave an empty page, "Nothing recorded yet", and no way back."""
        note = ActivityFactory()
        beyond = f"{10**17}.7.1" if key == "after" else "1.1.1"
        response = as_user(sales_user).get(note.account.get_absolute_url(), {key: beyond})
        assert len(timeline_entries(response)) == 1

    def test_the_pages_link_newer_and_older(self, as_user, sales_user):
        account = AccountFactory()
        for _ in range(45):
            ActivityFactory(account=account)
        client = as_user(sales_user)

        def links(params):
            page = parse(client.get(account.get_absolute_url(), params).content)
            nav = page.find("nav", class_="pagination")
            return {a.text: a.attrs["href"] for a in nav.find_all("a")}, page

        first, _ = links({})
        assert list(first) == ["Older"]
        second, _ = links({"before": first["Older"].split("before=")[1].split("#")[0]})
        assert list(second) == ["Newest", "Newer", "Older"]
        third, _ = links({"before": second["Older"].split("before=")[1].split("#")[0]})
        assert list(third) == ["Newest", "Newer"]
        back, page = links({"after": third["Newer"].split("after=")[1].split("#")[0]})
        assert list(back) == ["Newest", "Newer", "Older"]
        assert len(page.find("ol", class_="timeline").find_all("li")) == 20

    @pytest.mark.parametrize("rows", [2, 30])
    def test_query_count_does_not_grow(
        self, as_user, sales_user, rows, django_assert_max_num_queries
    ):
        account = AccountFactory()
        contacts = ContactFactory.create_batch(2, account=account)
        for n in range(rows):
            quote = QuoteFactory(customer=account)
            order = OrderFactory(customer=account, quote=quote)
            ApprovalFactory(order=order)
            InvoiceFactory(order=order, customer=account, paid_at=timezone.now())
            ActivityFactory(
                account=account, contact=contacts[n % 2], kind="task", assigned_to=sales_user,
                quote=quote, order=order, occurred_at=timezone.now(),
            )  # fmt: skip
            AccountChange.objects.create(
                account=account, field="credit_hold", old_value="No", new_value="Yes",
                changed_at=timezone.now(),
            )  # fmt: skip
        client = as_user(sales_user)
        # The account page's own 15 here (session, user, permissions; account, addresses,
        # contacts, children, history and its users; the sales panel's quotes, orders, open
        # invoices, exposure and, past five, the quote and order counts), the timeline's 8 (the
        # page's keys from all eight sources in one query, then activities with the contacts,
        # quotes and orders they name, changes, quotes, orders, approvals, invoices with
        # payments, and their users) and the short form's contacts and users.
        with django_assert_max_num_queries(25):
            response = client.get(account.get_absolute_url())
        entries = timeline_entries(response)
        assert len(entries) == min(20, rows * 7)
        assert {e.attrs["data-source"] for e in entries} >= {"activity", "quote", "change"}


class TestMyWork:
    def test_is_where_a_login_lands(self, client, sales_user):
        response = client.post(
            reverse("login"), {"username": "sales", "password": "correct horse battery"}
        )
        assert response.url == reverse("activities:my_work")
        assert client.get("/").url == reverse("activities:my_work")

    def test_open_tasks_by_due_date_overdue_first_and_flagged(self, as_user, sales_user):
        now = timezone.now()
        later = ActivityFactory(
            kind="task",
            assigned_to=sales_user,
            subject="Later",
            occurred_at=now + datetime.timedelta(days=3),
        )
        late = ActivityFactory(
            kind="task",
            assigned_to=sales_user,
            subject="Late",
            occurred_at=now - datetime.timedelta(days=2),
        )
        ActivityFactory(
            kind="task", assigned_to=sales_user, subject="Done", done_at=now, done_by=sales_user
        )
        ActivityFactory(kind="task", subject="Someone else's")
        deleted = ActivityFactory(kind="task", assigned_to=sales_user, subject="Gone")
        deleted.deleted_at = now
        deleted.save()
        page = parse(as_user(sales_user).get(reverse("activities:my_work")).content)
        rows = page.find("table", class_="my-tasks").find("tbody").find_all("tr")
        assert [r.attrs["data-task"] for r in rows] == [str(late.pk), str(later.pk)]
        assert "overdue" in rows[0].classes and rows[0].find_all(data_state="overdue")
        assert "overdue" not in rows[1].classes

    def test_a_task_of_an_inactive_account_says_so(self, as_user, sales_user):
        task = ActivityFactory(kind="task", assigned_to=sales_user)
        ActivityFactory(kind="task", assigned_to=sales_user)
        task.account.is_active = False
        task.account.save()
        page = parse(as_user(sales_user).get(reverse("activities:my_work")).content)
        rows = page.find("table", class_="my-tasks").find("tbody").find_all("tr")
        marked = [r.attrs["data-task"] for r in rows if r.find_all(data_inactive="")]
        assert marked == [str(task.pk)]

    def test_marking_done_from_my_work(self, as_user, sales_user):
        task = ActivityFactory(kind="task", assigned_to=sales_user)
        client = as_user(sales_user)
        response = client.post(
            reverse("activities:done", args=[task.pk]), {"next": reverse("activities:my_work")}
        )
        assert response.url == reverse("activities:my_work")
        task.refresh_from_db()
        assert task.done_by == sales_user

    def test_accounting_closes_a_task_sales_gave_them(self, as_user, sales_user, accounting_user):
        task = ActivityFactory(kind="task", created_by=sales_user, assigned_to=accounting_user)
        client = as_user(accounting_user)
        for page in (reverse("activities:my_work"), task.account.get_absolute_url()):
            done = parse(client.get(page).content).find(
                "form", action=reverse("activities:done", args=[task.pk])
            )
            assert done.find("button")
        response = client.post(reverse("activities:done", args=[task.pk]))
        assert response.status_code == 302
        task.refresh_from_db()
        assert task.done_by == accounting_user

    def test_accounting_does_not_close_someone_elses_task(
        self, as_user, sales_user, accounting_user
    ):
        task = ActivityFactory(kind="task", created_by=sales_user, assigned_to=sales_user)
        client = as_user(accounting_user)
        page = parse(client.get(task.account.get_absolute_url()).content)
        assert not page.find_all("form", action=reverse("activities:done", args=[task.pk]))
        assert client.post(reverse("activities:done", args=[task.pk])).status_code == 403
        task.refresh_from_db()
        assert task.is_open

    def test_a_done_task_still_says_whom_it_was_for(self, as_user, sales_user, accounting_user):
        accounting_user.first_name, accounting_user.last_name = "Maaike", "Jansen"
        accounting_user.save()
        task = ActivityFactory(kind="task", created_by=sales_user, assigned_to=accounting_user)
        client = as_user(accounting_user)
        client.post(reverse("activities:done", args=[task.pk]))
        [entry] = timeline_entries(client.get(task.account.get_absolute_url()))
        assert "for Maaike Jansen" in " ".join(entry.text.split())

    def test_marking_done_on_the_timeline_comes_back_to_the_same_page(self, as_user, sales_user):
        """The form on the timeline carries the page's own address, whatever it holds, and the
        CSRF token, so marking done from page 2 of calls returns there."""
        task = ActivityFactory(kind="task", assigned_to=sales_user)
        client = as_user(sales_user)
        page = f"{task.account.get_absolute_url()}?show=task&x=%7B0%7D%22%3E%3Cb%3E"
        response = client.get(page)
        done = parse(response.content).find(
            "form", action=reverse("activities:done", args=[task.pk])
        )
        values = {i.attrs["name"]: i.attrs["value"] for i in done.find_all("input")}
        assert values["next"] == page
        assert values["csrfmiddlewaretoken"]
        assert b"<b>" not in response.content
        response = client.post(done.attrs["action"], values)
        assert response.url == page
        task.refresh_from_db()
        assert task.done_by == sales_user

    def test_a_kind_no_longer_offered_still_shows(self, as_user, sales_user):
        """Rows written before a kind was dropped from the choices show the kind as stored, on
        the timeline and on My work, as Django's get_kind_display() does."""
        task = ActivityFactory(kind="task", assigned_to=sales_user, created_by=sales_user)
        Activity.objects.filter(pk=task.pk).update(kind="visit")
        client = as_user(sales_user)
        [entry] = timeline_entries(client.get(task.account.get_absolute_url()))
        assert entry.find("span", class_="kind").text == "visit"
        page = parse(client.get(reverse("activities:my_work")).content)
        [row] = page.find("table", class_="my-tasks").find("tbody").find_all("tr")
        assert row.find("span", class_="kind").text == "visit"
        [recent] = page.find("table", class_="my-recent").find("tbody").find_all("tr")
        assert recent.find_all("td")[1].text == "visit"

    def test_my_work_leads_to_the_timeline_page_that_holds_the_task(self, as_user, sales_user):
        """A task under twenty newer entries is on the timeline's second page: its link on My
        work opens that page at it (a tester landed at the top, with the task nowhere)."""
        account = AccountFactory()
        now = timezone.now()
        task = ActivityFactory(
            account=account, kind="task", assigned_to=sales_user, occurred_at=now
        )
        ActivityFactory.create_batch(
            25, account=account, kind="note", occurred_at=now + datetime.timedelta(hours=1)
        )
        client = as_user(sales_user)
        my_work = parse(client.get(reverse("activities:my_work")).content)
        link = my_work.find("tr", data_task=str(task.pk)).find("a").attrs["href"]
        page = parse(client.get(link).content)
        entries = page.find("ol", class_="timeline").find_all("li")
        assert entries[0].attrs["id"] == f"activity-{task.pk}" == link.split("#")[1]
        nav = {a.text for a in page.find("nav", class_="pagination").find_all("a")}
        assert nav == {"Newest", "Newer"}

        # The newest entry's page has nothing above it, so it offers no way up.
        newest = ActivityFactory(
            account=account, kind="note", occurred_at=now + datetime.timedelta(days=1)
        )
        page = parse(client.get(newest.get_absolute_url()).content)
        assert page.find("ol", class_="timeline").find_all("li")[0].attrs["id"] == (
            f"activity-{newest.pk}"
        )
        nav = {a.text for a in page.find("nav", class_="pagination").find_all("a")}
        assert nav == {"Older"}

    def test_a_task_marked_done_by_mistake_is_reopened_on_the_timeline(self, as_user, sales_user):
        task = ActivityFactory(kind="task", assigned_to=sales_user, subject="Send the catalogue")
        client = as_user(sales_user)
        client.post(reverse("activities:done", args=[task.pk]))
        page = task.account.get_absolute_url()
        reopen = parse(client.get(page).content).find(
            "form", action=reverse("activities:reopen", args=[task.pk])
        )
        values = {i.attrs["name"]: i.attrs["value"] for i in reopen.find_all("input")}
        assert values["next"] == page and reopen.find("button").text == "Reopen"
        response = client.post(reopen.attrs["action"], values, follow=True)
        assert "“Send the catalogue” is open again." in response.content.decode()
        task.refresh_from_db()
        assert task.is_open
        [entry] = timeline_entries(response)
        # Due an hour ago, it is overdue again, with its "Mark done" button back.
        assert entry.find("span", data_state="overdue")
        assert entry.find("form", action=reverse("activities:done", args=[task.pk]))
        assert not entry.find_all("form", action=reverse("activities:reopen", args=[task.pk]))
        my_work = parse(client.get(reverse("activities:my_work")).content)
        assert my_work.find("tr", data_task=str(task.pk))

    def test_accounting_does_not_reopen_someone_elses_task(
        self, as_user, sales_user, accounting_user
    ):
        task = ActivityFactory(kind="task", created_by=sales_user, assigned_to=sales_user)
        as_user(sales_user).post(reverse("activities:done", args=[task.pk]))
        client = as_user(accounting_user)
        page = parse(client.get(task.account.get_absolute_url()).content)
        assert not page.find_all("form", action=reverse("activities:reopen", args=[task.pk]))
        assert client.post(reverse("activities:reopen", args=[task.pk])).status_code == 403
        task.refresh_from_db()
        assert not task.is_open

    def test_a_logged_call_offers_no_reopen(self, as_user, sales_user):
        call = ActivityFactory(kind="call", created_by=sales_user)
        client = as_user(sales_user)
        page = parse(client.get(call.account.get_absolute_url()).content)
        assert not page.find_all("form", action=reverse("activities:reopen", args=[call.pk]))
        response = client.post(reverse("activities:reopen", args=[call.pk]), follow=True)
        assert "already happened" in response.content.decode()

    def test_done_never_sends_the_user_elsewhere(self, as_user, sales_user):
        task = ActivityFactory(kind="task", assigned_to=sales_user)
        response = as_user(sales_user).post(
            reverse("activities:done", args=[task.pk]), {"next": "https://evil.example/"}
        )
        assert response.url == task.get_absolute_url()

    def test_recent_activities_are_the_users_own(self, as_user, sales_user):
        mine = ActivityFactory(created_by=sales_user)
        ActivityFactory()
        page = parse(as_user(sales_user).get(reverse("activities:my_work")).content)
        rows = page.find("table", class_="my-recent").find("tbody").find_all("tr")
        assert [r.attrs["data-activity"] for r in rows] == [str(mine.pk)]

    def test_recent_activities_read_newest_written_first_by_when_written(self, as_user, sales_user):
        """Listed by when they were written, they showed when they happened (or are due): a
        tester read 22:49, 10:00, 22:49 and took the list for unsorted."""
        now = timezone.now()
        older = ActivityFactory(
            created_by=sales_user, occurred_at=now - datetime.timedelta(hours=2)
        )
        newer = ActivityFactory(created_by=sales_user, occurred_at=now + datetime.timedelta(days=3))
        page = parse(as_user(sales_user).get(reverse("activities:my_work")).content)
        table = page.find("table", class_="my-recent")
        assert table.find("thead").find("th").text == "Written"
        rows = table.find("tbody").find_all("tr")
        assert [r.attrs["data-activity"] for r in rows] == [str(newer.pk), str(older.pk)]
        written = [r.find("time").attrs["datetime"] for r in rows]
        assert written == [
            timezone.localtime(newer.created_at).isoformat(),
            timezone.localtime(older.created_at).isoformat(),
        ]

    def test_an_empty_page_asks_nobody_for_what_their_role_cannot_do(
        self, as_user, sales_user, accounting_user
    ):
        empties = {
            user.username: [p.text for p in parse(as_user(user).get(reverse(
                "activities:my_work")).content).find_all("p", class_="empty")]
            for user in (sales_user, accounting_user)
        }  # fmt: skip
        assert any("set on its page" in text for text in empties["sales"])
        assert any("Notes and calls you write" in text for text in empties["sales"])
        assert not any("set on its page" in text for text in empties["accounting"])
        assert not any("you write" in text for text in empties["accounting"])

    def test_accounts_you_own_by_name_active_only(self, as_user, sales_user):
        AccountFactory(name="Zeta", owner=sales_user)
        AccountFactory(name="Alpha", owner=sales_user)
        AccountFactory(name="Beta", owner=sales_user, is_active=False)
        AccountFactory(name="Someone else's")
        page = parse(as_user(sales_user).get(reverse("activities:my_work")).content)
        rows = page.find("table", class_="my-accounts").find("tbody").find_all("tr")
        assert [r.find("a").text for r in rows] == ["Alpha", "Zeta"]

    def test_many_accounts_link_to_the_list_of_them(self, as_user, sales_user):
        AccountFactory.create_batch(26, owner=sales_user)
        page = parse(as_user(sales_user).get(reverse("activities:my_work")).content)
        rows = page.find("table", class_="my-accounts").find("tbody").find_all("tr")
        assert len(rows) == 25
        assert page.find("a", href=reverse("accounts:list") + "?owner=mine")

    @pytest.mark.parametrize("rows", [1, 40])
    def test_query_count_does_not_grow(
        self, as_user, sales_user, rows, django_assert_max_num_queries
    ):
        for _ in range(rows):
            ActivityFactory(kind="task", assigned_to=sales_user, contact=ContactFactory())
            ActivityFactory(created_by=sales_user)
            AccountFactory(owner=sales_user)
        client = as_user(sales_user)
        # Session, user, permissions, open tasks, recent activities, accounts owned.
        with django_assert_max_num_queries(6):
            response = client.get(reverse("activities:my_work"))
        assert len(response.context["work"].tasks) == min(rows, 30)


class TestAContactRemoved:
    """Removing a contact says what it is on, and its activities keep whom they were with."""

    def test_the_timeline_and_my_work_keep_the_name(self, as_user, sales_user):
        contact = ContactFactory(first_name="Eva", last_name="Peeters")
        call = ActivityFactory(account=contact.account, contact=contact, subject="Called Eva")
        task = ActivityFactory(
            account=contact.account,
            contact=contact,
            kind=Activity.Kind.TASK,
            occurred_at=timezone.now() + datetime.timedelta(days=1),
            created_by=sales_user,
        )
        client = as_user(sales_user)

        response = client.post(reverse("accounts:contact_delete", args=[contact.pk]))

        assert response.status_code == 302
        call.refresh_from_db()
        assert (call.contact, call.contact_shown) == (None, "Eva Peeters")
        entries = [e.text for e in timeline_entries(client.get(contact.account.get_absolute_url()))]
        assert any("Called Eva" in e and "with Eva Peeters" in e for e in entries)
        my_work = client.get(reverse("activities:my_work")).content.decode()
        assert task.subject in my_work and "with Eva Peeters" in my_work

    def test_contacts_removed_together_each_leave_their_own_name(self):
        """The admin removes several at once (a queryset's delete)."""
        eva = ContactFactory(first_name="Eva", last_name="Peeters")
        jan = ContactFactory(first_name="Jan", last_name="Smit", account=eva.account)
        calls = [ActivityFactory(account=eva.account, contact=c) for c in (eva, jan, eva)]
        Contact.objects.filter(pk__in=[eva.pk, jan.pk]).delete()
        shown = [Activity.objects.get(pk=call.pk).contact_shown for call in calls]
        assert shown == ["Eva Peeters", "Jan Smit", "Eva Peeters"]

    def test_the_confirmation_says_what_the_contact_is_on(self, as_user, sales_user):
        contact = ContactFactory(first_name="Eva", last_name="Peeters", is_primary=True)
        ActivityFactory.create_batch(3, account=contact.account, contact=contact)
        ActivityFactory(account=contact.account, contact=contact, deleted_at=timezone.now())

        page = parse(
            as_user(sales_user).get(reverse("accounts:contact_delete", args=[contact.pk])).content
        )

        naming = page.find("p", data_activities_naming="")
        assert naming.text == (
            "Eva Peeters is named on 3 activities of the account's timeline. They keep the name."
        )
        assert "Eva Peeters is the account's primary contact" in page.text

    def test_a_contact_on_no_activity_gets_the_plain_question(self, as_user, sales_user):
        contact = ContactFactory()
        page = parse(
            as_user(sales_user).get(reverse("accounts:contact_delete", args=[contact.pk])).content
        )
        assert page.find_all("p", data_activities_naming="") == []
        assert "This cannot be undone." in page.text
