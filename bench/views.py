"""The floor: the cheapest logged-in page this stack can serve."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from accounts.models import Account
from accounts.views import AccountDetailView


class FloorView(LoginRequiredMixin, TemplateView):
    """One query (the first account by primary key) and a small template."""

    template_name = "bench/floor.html"

    def get_context_data(self, **kwargs):
        account = Account.objects.only("name").order_by("pk").first()
        return {**super().get_context_data(**kwargs), "account": account}


class AccountPageWithoutTimelineView(AccountDetailView):
    """The account page without the activities panel, to tell what the timeline adds."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["account_panels"] = [
            panel for panel in context["account_panels"] if not panel.startswith("activities/")
        ]
        return context
