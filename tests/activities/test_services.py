import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from activities import services
from activities.models import BODY_MAX_LENGTH, Activity
from tests.accounts.factories import AccountFactory, ContactFactory
from tests.activities.factories import ActivityFactory
from tests.sales.factories import OrderFactory, QuoteFactory
from tests.users.factories import UserFactory

pytestmark = pytest.mark.django_db


def fields(**changes):
    return {"kind": Activity.Kind.CALL, "subject": "Called about the spring order", **changes}


def test_a_logged_call_is_done_and_kept_as_typed(sales_user):
    account = AccountFactory()
    body = "Line one\n\n  <b>indented</b> & more"
    call = services.activity_create(account=account, user=sales_user, fields=fields(body=body))
    call.refresh_from_db()
    assert call.body == body
    assert call.created_by == sales_user
    assert call.done_at is not None and call.done_by == sales_user
    assert not call.is_open


def test_a_task_stays_open_and_goes_to_the_author_when_nobody_is_named(sales_user):
    due = timezone.now() + datetime.timedelta(days=2)
    task = services.activity_create(
        account=AccountFactory(),
        user=sales_user,
        fields=fields(kind=Activity.Kind.TASK, occurred_at=due),
    )
    assert task.is_open
    assert task.assigned_to == sales_user


def test_a_task_goes_to_the_colleague_named(sales_user, management_user):
    task = services.activity_create(
        account=AccountFactory(),
        user=sales_user,
        fields=fields(kind=Activity.Kind.TASK, assigned_to=management_user),
    )
    assert task.assigned_to == management_user
    assert task.created_by == sales_user


def test_a_meeting_planned_for_later_is_open(sales_user):
    later = timezone.now() + datetime.timedelta(days=7)
    meeting = services.activity_create(
        account=AccountFactory(),
        user=sales_user,
        fields=fields(kind=Activity.Kind.MEETING, occurred_at=later),
    )
    assert meeting.is_open and meeting.assigned_to == sales_user


def test_a_past_due_task_is_allowed_and_flagged(sales_user):
    task = services.activity_create(
        account=AccountFactory(),
        user=sales_user,
        fields=fields(
            kind=Activity.Kind.TASK, occurred_at=timezone.now() - datetime.timedelta(days=1)
        ),
    )
    assert services.activity_is_due_in_past(activity=task)
    assert task.is_overdue


def test_the_contact_quote_and_order_must_be_the_accounts_own(sales_user):
    account, other = AccountFactory(), AccountFactory()
    for name, value in [
        ("contact", ContactFactory(account=other)),
        ("quote", QuoteFactory(customer=other)),
        ("order", OrderFactory(customer=other)),
    ]:
        with pytest.raises(ValidationError) as error:
            services.activity_create(
                account=account, user=sales_user, fields=fields(**{name: value})
            )
        assert name in error.value.message_dict
    assert not Activity.objects.exists()


def test_the_accounts_own_contact_quote_and_order_are_kept(sales_user):
    account = AccountFactory()
    contact, quote = ContactFactory(account=account), QuoteFactory(customer=account)
    order = OrderFactory(customer=account)
    call = services.activity_create(
        account=account, user=sales_user, fields=fields(contact=contact, quote=quote, order=order)
    )
    call.refresh_from_db()
    assert (call.contact, call.quote, call.order) == (contact, quote, order)


@pytest.mark.parametrize("subject", ["", "   "])
def test_a_subject_is_needed(sales_user, subject):
    with pytest.raises(ValidationError):
        services.activity_create(
            account=AccountFactory(), user=sales_user, fields=fields(subject=subject)
        )
    assert not Activity.objects.exists()


def test_the_details_have_a_limit(sales_user):
    with pytest.raises(ValidationError):
        services.activity_create(
            account=AccountFactory(),
            user=sales_user,
            fields=fields(body="x" * (BODY_MAX_LENGTH + 1)),
        )
    assert not Activity.objects.exists()


def test_accounting_reads_but_does_not_write_activities(accounting_user):
    assert accounting_user.has_perm("activities.view_activity")
    with pytest.raises(PermissionDenied):
        services.activity_create(account=AccountFactory(), user=accounting_user, fields=fields())


def test_management_writes_activities(management_user):
    services.activity_create(account=AccountFactory(), user=management_user, fields=fields())
    assert Activity.objects.count() == 1


def test_only_the_author_changes_a_note(sales_user):
    colleague = UserFactory(groups=["Sales"])
    note = ActivityFactory(created_by=sales_user)
    with pytest.raises(PermissionDenied):
        services.activity_update(activity=note, user=colleague, fields={"subject": "Mine now"})
    services.activity_update(activity=note, user=sales_user, fields={"subject": "Corrected"})
    note.refresh_from_db()
    assert note.subject == "Corrected"


def test_an_administrator_changes_and_deletes_anyones_note(sales_user, admin_user):
    note = ActivityFactory(created_by=sales_user)
    services.activity_update(activity=note, user=admin_user, fields={"subject": "Fixed typo"})
    services.activity_delete(activity=note, user=admin_user)
    note.refresh_from_db()
    assert note.subject == "Fixed typo" and note.deleted_by == admin_user


def test_only_the_author_deletes_a_note_and_a_trace_stays(sales_user):
    colleague = UserFactory(groups=["Sales"])
    note = ActivityFactory(created_by=sales_user, subject="Price list sent")
    with pytest.raises(PermissionDenied):
        services.activity_delete(activity=note, user=colleague)
    services.activity_delete(activity=note, user=sales_user)
    note.refresh_from_db()
    assert note.deleted_at is not None and note.deleted_by == sales_user
    assert note.subject == "Price list sent"
    assert note.body == ""


def test_a_deleted_activity_can_no_longer_be_changed_and_says_so(sales_user):
    note = ActivityFactory(created_by=sales_user)
    services.activity_delete(activity=note, user=sales_user)
    with pytest.raises(ValidationError, match="deleted"):
        services.activity_update(activity=note, user=sales_user, fields={"subject": "Back"})


def test_marking_a_task_done_records_who_and_when(sales_user, management_user):
    task = ActivityFactory(
        kind=Activity.Kind.TASK, created_by=sales_user, assigned_to=management_user
    )
    before = timezone.now()
    services.activity_mark_done(activity=task, user=management_user)
    task.refresh_from_db()
    assert task.done_by == management_user and task.done_at >= before
    with pytest.raises(ValidationError):
        services.activity_mark_done(activity=task, user=management_user)


def test_accounting_cannot_mark_someone_elses_task_done(sales_user, accounting_user):
    task = ActivityFactory(kind=Activity.Kind.TASK, created_by=sales_user, assigned_to=sales_user)
    with pytest.raises(PermissionDenied):
        services.activity_mark_done(activity=task, user=accounting_user)
    task.refresh_from_db()
    assert task.is_open


def test_whoever_a_task_is_for_marks_it_done_whatever_their_role(sales_user, accounting_user):
    """Sales asks Accounting to check a credit limit: Accounting closes it when it is done."""
    task = ActivityFactory(
        kind=Activity.Kind.TASK, created_by=sales_user, assigned_to=accounting_user
    )
    assert services.activity_may_mark_done(activity=task, user=accounting_user)
    services.activity_mark_done(activity=task, user=accounting_user)
    task.refresh_from_db()
    assert task.done_by == accounting_user


def test_a_task_marked_done_by_mistake_is_reopened(sales_user, accounting_user):
    """Whoever may close a task may open it again: it goes back on its assignee's list."""
    task = ActivityFactory(
        kind=Activity.Kind.TASK, created_by=sales_user, assigned_to=accounting_user
    )
    task = services.activity_mark_done(activity=task, user=accounting_user)
    assert services.activity_may_reopen(activity=task, user=accounting_user)
    services.activity_reopen(activity=task, user=accounting_user)
    task.refresh_from_db()
    assert task.is_open and task.done_by is None and task.assigned_to == accounting_user
    with pytest.raises(ValidationError, match="open"):
        services.activity_reopen(activity=task, user=accounting_user)


def test_accounting_cannot_reopen_someone_elses_task(sales_user, accounting_user):
    task = ActivityFactory(kind=Activity.Kind.TASK, created_by=sales_user, assigned_to=sales_user)
    task = services.activity_mark_done(activity=task, user=sales_user)
    assert services.activity_may_reopen(activity=task, user=sales_user)
    assert not services.activity_may_reopen(activity=task, user=accounting_user)
    with pytest.raises(PermissionDenied):
        services.activity_reopen(activity=task, user=accounting_user)
    task.refresh_from_db()
    assert task.done_by == sales_user


def test_what_happened_as_written_is_not_reopened(sales_user):
    """A logged call was done when it was written: there is nothing to do again."""
    call = services.activity_create(account=AccountFactory(), user=sales_user, fields=fields())
    assert not services.activity_may_reopen(activity=call, user=sales_user)
    with pytest.raises(ValidationError, match="happened"):
        services.activity_reopen(activity=call, user=sales_user)


def test_a_deleted_task_is_not_reopened(sales_user):
    task = ActivityFactory(kind=Activity.Kind.TASK, created_by=sales_user, assigned_to=sales_user)
    services.activity_mark_done(activity=task, user=sales_user)
    task = services.activity_delete(activity=task, user=sales_user)
    assert not services.activity_may_reopen(activity=task, user=sales_user)
    with pytest.raises(ValidationError, match="deleted"):
        services.activity_reopen(activity=task, user=sales_user)


def test_a_note_made_a_task_for_a_colleague_is_open_for_them(sales_user, management_user):
    note = services.activity_create(account=AccountFactory(), user=sales_user, fields=fields())
    assert note.done_at is not None
    due = timezone.now() + datetime.timedelta(days=3)
    task = services.activity_update(
        activity=note,
        user=sales_user,
        fields=fields(kind=Activity.Kind.TASK, occurred_at=due, assigned_to=management_user),
    )
    task.refresh_from_db()
    assert task.is_open and task.done_by is None
    assert task.assigned_to == management_user


def test_a_note_made_a_task_for_nobody_named_is_the_authors(sales_user):
    note = services.activity_create(account=AccountFactory(), user=sales_user, fields=fields())
    task = services.activity_update(
        activity=note, user=sales_user, fields=fields(kind=Activity.Kind.TASK)
    )
    assert task.is_open and task.assigned_to == sales_user


def test_an_open_task_made_a_call_is_done_as_written(sales_user):
    task = services.activity_create(
        account=AccountFactory(),
        user=sales_user,
        fields=fields(kind=Activity.Kind.TASK, occurred_at=timezone.now()),
    )
    call = services.activity_update(activity=task, user=sales_user, fields=fields())
    assert not call.is_open and call.done_by == sales_user


def test_a_task_marked_done_made_a_note_and_a_task_again_stays_done(sales_user):
    """Who closed it is not lost, and it does not come back on anyone's My work."""
    task = ActivityFactory(kind=Activity.Kind.TASK, created_by=sales_user, assigned_to=sales_user)
    services.activity_mark_done(activity=task, user=sales_user)
    task.refresh_from_db()
    closed = (task.done_at, task.done_by)
    services.activity_update(activity=task, user=sales_user, fields=fields(kind="note"))
    services.activity_update(activity=task, user=sales_user, fields=fields(kind="task"))
    task.refresh_from_db()
    assert (task.done_at, task.done_by) == closed


def test_a_planned_meeting_moved_into_the_past_as_a_note_is_done(sales_user):
    meeting = services.activity_create(
        account=AccountFactory(),
        user=sales_user,
        fields=fields(kind="meeting", occurred_at=timezone.now() + datetime.timedelta(days=1)),
    )
    assert meeting.is_open
    yesterday = timezone.now() - datetime.timedelta(days=1)
    note = services.activity_update(
        activity=meeting, user=sales_user, fields=fields(kind="note", occurred_at=yesterday)
    )
    assert not note.is_open and note.done_by == sales_user


def test_an_overdue_meeting_whose_subject_is_corrected_stays_open(sales_user):
    """Only a new kind or time moves the mark: a typo fixed does not close it."""
    meeting = ActivityFactory(
        kind="meeting",
        created_by=sales_user,
        occurred_at=timezone.now() - datetime.timedelta(hours=2),
        done_at=None,
        assigned_to=sales_user,
    )
    services.activity_update(
        activity=meeting,
        user=sales_user,
        fields=fields(kind="meeting", subject="Quarterly review", occurred_at=meeting.occurred_at),
    )
    meeting.refresh_from_db()
    assert meeting.is_open and meeting.subject == "Quarterly review"


def test_a_year_read_back_in_utc_is_judged_where_the_user_is(sales_user):
    """1 January 1900 00:10 in Amsterdam is stored as 1899 in UTC: it stays editable."""
    early = datetime.datetime(1900, 1, 1, 0, 10, tzinfo=timezone.get_current_timezone())
    note = services.activity_create(
        account=AccountFactory(), user=sales_user, fields=fields(occurred_at=early)
    )
    note = Activity.objects.get(pk=note.pk)
    services.activity_update(activity=note, user=sales_user, fields={"subject": "Very old"})
    note.refresh_from_db()
    assert note.subject == "Very old"


def test_a_deleted_note_is_still_only_its_authors_to_be_told_about(sales_user):
    note = ActivityFactory(created_by=sales_user)
    services.activity_delete(activity=note, user=sales_user)
    colleague = UserFactory(groups=["Sales"])
    with pytest.raises(PermissionDenied):
        services.activity_update(activity=note, user=colleague, fields={"subject": "Mine"})
    with pytest.raises(PermissionDenied):
        services.activity_delete(activity=note, user=colleague)
    with pytest.raises(ValidationError, match="deleted already"):
        services.activity_delete(activity=note, user=sales_user)


def test_a_done_task_stays_done_when_its_subject_is_corrected(sales_user):
    task = ActivityFactory(kind=Activity.Kind.TASK, created_by=sales_user, assigned_to=sales_user)
    services.activity_mark_done(activity=task, user=sales_user)
    task.refresh_from_db()
    done_at = task.done_at
    task = services.activity_update(
        activity=task, user=sales_user, fields={"subject": "Corrected subject"}
    )
    task.refresh_from_db()
    assert task.done_at == done_at and task.subject == "Corrected subject"


def test_an_account_with_activities_is_not_deleted(admin_user):
    from accounts.services import account_delete

    note = ActivityFactory()
    with pytest.raises(ValidationError, match="activities"):
        account_delete(account=note.account, user=admin_user)
