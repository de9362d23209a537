"""The floor: the cheapest logged-in page this stack can serve."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from accounts.models import Account


class FloorView(LoginRequiredMixin, TemplateView):
    """One query (the first account by primary key) and a small template."""

    template_name = "bench/floor.html"

    def get_context_data(self, **kwargs):
        account = Account.objects.only("name").order_by("pk").first()
        return {**super().get_context_data(**kwargs), "account": account}
