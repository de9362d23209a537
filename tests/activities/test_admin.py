import pytest
from django.urls import reverse

from tests.activities.factories import ActivityFactory

pytestmark = pytest.mark.django_db


def test_the_admin_lists_activities_read_only(as_user, admin_user):
    """Administrators look activities up in the admin; changes go through the account page."""
    ActivityFactory.create_batch(5, subject="Price list sent")
    client = as_user(admin_user)
    response = client.get(reverse("admin:activities_activity_changelist"), {"q": "price"})
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 5
    assert client.get(reverse("admin:activities_activity_add")).status_code == 403
    note = ActivityFactory()
    page = client.get(reverse("admin:activities_activity_change", args=[note.pk]))
    assert page.status_code == 200 and not page.context["has_change_permission"]
