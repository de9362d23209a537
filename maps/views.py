import json
from typing import Any

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.contrib.humanize.templatetags.humanize import intcomma
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext
from django.views.generic import TemplateView

from accounts import selectors as account_selectors
from accounts.filters import AccountFilter
from accounts.models import Address
from maps import selectors
from maps.forms import AccountMapForm
from maps.geo import bounding_box
from maps.rendering import DATA_ID, points_payload, render_map
from maps.selectors import Centre, MapPoints

# The overview spans countries: cells of this size keep a large database to a few hundred.
OVERVIEW_CELL_KM = 25.0
AGGREGATED = " Too many for single pins: the map shows how many are in each area."


def _accounts(n: int) -> str:
    return f"{intcomma(n)} account{'s' if n != 1 else ''}"


def _status(points: MapPoints, *, radius_km: int, country: str) -> str:
    if not points.total:
        return f"No other accounts within {radius_km} km ({country} only)."
    status = f"{_accounts(points.total)} loaded within {radius_km} km ({country} only)."
    if points.aggregated:
        status += AGGREGATED
    return status


def no_coordinates_message(visit: Address) -> str:
    """What to do when the account cannot be the centre of a map."""
    return gettext("%(account)s has no coordinates, so the map cannot be drawn. %(reason)s") % {
        "account": visit.account.name,
        "reason": visit.no_coordinates_reason,
    }


class AccountMapView(PermissionRequiredMixin, TemplateView):
    """The accounts within a radius of an account's visit address, in the same country."""

    permission_required = "accounts.view_account"
    template_name = "maps/account_map.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        visit = get_object_or_404(selectors.account_map_centre(), account_id=self.kwargs["pk"])
        account = visit.account
        form = AccountMapForm({**AccountMapForm.DEFAULTS, **self.request.GET.dict()})
        valid = form.is_valid()
        values = form.cleaned_data if valid else {}
        radius_km = values.get("radius", int(AccountMapForm.DEFAULTS["radius"]))
        context.update(account=account, visit=visit, form=form, radius_km=radius_km)
        if not valid:
            context["error"] = "Choose a radius and an order from the lists, then Update map."
            return context
        if visit.latitude is None:
            context["error"] = no_coordinates_message(visit)
            return context
        centre = Centre(visit.latitude, visit.longitude, visit.country.code)
        account_url = reverse("accounts:detail", args=[0])
        payload: dict[str, Any] = {
            "centre": [visit.latitude, visit.longitude, account.pk, account.name, visit.city],
            "radiusKm": radius_km,
            "accountUrl": account_url,
            "pins": [],
            "cells": [],
        }
        country = visit.country.name
        if "clear" in self.request.GET:
            context["status"] = "Map cleared. Press Update map to show the accounts again."
        else:
            addresses = selectors.addresses_within(
                centre=centre, radius_km=radius_km, exclude_account_id=account.pk
            )
            points = selectors.map_points(
                addresses,
                cell_km=2 * radius_km / selectors.CELLS_ACROSS,
                latitude=centre.latitude,
            )
            payload.update(points_payload(points))
            context["points"] = points
            context["status"] = _status(points, radius_km=radius_km, country=country)
            context["page_obj"] = selectors.nearby_page(
                addresses,
                total=points.total,
                sort=values["sort"],
                page_number=self.request.GET.get("page", 1),
                centre=centre,
            )
        context.update(
            map=render_map(bounds=bounding_box(centre.latitude, centre.longitude, radius_km)),
            map_data=json.dumps(payload),
            map_data_id=DATA_ID,
        )
        return context


class MapOverviewView(PermissionRequiredMixin, TemplateView):
    """Every located account matching the account list's search and filters."""

    permission_required = "accounts.view_account"
    template_name = "maps/overview.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filterset = AccountFilter(
            self.request.GET, queryset=account_selectors.account_list(), request=self.request
        )
        context["filter"] = filterset
        if not filterset.is_valid():
            return context
        addresses = selectors.addresses_of(filterset.qs)
        points = selectors.map_points(addresses, cell_km=OVERVIEW_CELL_KM, latitude=51.0)
        context["points"] = points
        context["status"] = f"{_accounts(points.total)} with coordinates match." + (
            AGGREGATED if points.aggregated else ""
        )
        payload = {
            **points_payload(points),
            "accountUrl": reverse("accounts:detail", args=[0]),
            "fit": True,
        }
        context.update(
            map=render_map(bounds=None),
            map_data=json.dumps(payload),
            map_data_id=DATA_ID,
        )
        return context
