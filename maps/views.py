import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.contrib.humanize.templatetags.humanize import intcomma
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.generic import TemplateView

from accounts.filters import account_list_query, filter_fields
from accounts.models import Address, RelationshipType
from common.search import SEARCH_CUT_MESSAGE
from maps import selectors
from maps.forms import AccountMapForm
from maps.geo import bounding_box
from maps.rendering import DATA_ID, points_payload, render_map
from maps.selectors import Centre, MapPoints


def _aggregated() -> str:
    return gettext("Too many for single pins: the map shows how many are in each area.")


def _status(points: MapPoints, *, radius_km: int, country: str) -> str:
    values = {"n": intcomma(points.total), "radius": radius_km, "country": country}
    if not points.total:
        return gettext("No other accounts within %(radius)s km (%(country)s only).") % values
    status = (
        ngettext(
            "%(n)s account loaded within %(radius)s km (%(country)s only).",
            "%(n)s accounts loaded within %(radius)s km (%(country)s only).",
            points.total,
        )
        % values
    )
    return f"{status} {_aggregated()}" if points.aggregated else status


def no_coordinates_message(visit: Address) -> str:
    """What to do when the account cannot be the centre of a map."""
    return gettext("%(account)s has no coordinates, so the map cannot be drawn. %(reason)s") % {
        "account": visit.account.name,
        "reason": visit.no_coordinates_reason,
    }


class AccountMapView(PermissionRequiredMixin, TemplateView):
    """The accounts within a radius of an account's visit address, in the same country.

    It opens empty, centred on the account; Update map (a GET with map=update) draws the
    accounts and Clear map removes them again. Everything is in the URL, so a bookmark or the
    back button shows the same map, and a changed list does nothing until a button is pressed.
    """

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
        pressed = values.get("map", "")
        context.update(account=account, visit=visit, form=form, radius_km=radius_km)
        context["pressed"] = pressed
        if not valid:
            context["error"] = gettext(
                "Choose a radius and an order from the lists, then Update map."
            )
            return context
        if visit.latitude is None or visit.longitude is None:
            context["error"] = no_coordinates_message(visit)
            return context
        centre = Centre(visit.latitude, visit.longitude, visit.country.code)
        payload: dict[str, Any] = {
            "centre": [visit.latitude, visit.longitude, account.pk, account.name, visit.city],
            "radiusKm": radius_km,
            "accountUrl": reverse("accounts:detail", args=[0]),
            "pins": [],
            "cells": [],
        }
        if pressed == AccountMapForm.UPDATE:
            points = selectors.circle_points(
                centre=centre, radius_km=radius_km, exclude_account_id=account.pk
            )
            payload.update(points_payload(points))
            context["points"] = points
            context["status"] = _status(points, radius_km=radius_km, country=visit.country.name)
            context["page_obj"] = selectors.nearby_page(
                selectors.entries_within(
                    centre=centre, radius_km=radius_km, exclude_account_id=account.pk
                ),
                total=points.total,
                sort=values["sort"],
                page_number=self.request.GET.get("page", 1),
                centre=centre,
            )
        elif pressed == AccountMapForm.CLEAR:
            context["status"] = gettext(
                "Map cleared. Press Update map to show the accounts within %(radius)s km."
            ) % {"radius": radius_km}
        else:
            context["status"] = gettext(
                "Press Update map to show the accounts within %(radius)s km."
            ) % {"radius": radius_km}
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
        query = account_list_query(self.request.GET, user_id=self.request.user.pk)
        context.update(query=query, filter_fields=filter_fields(query))
        if query.cut:
            messages.warning(self.request, SEARCH_CUT_MESSAGE)
        if query.errors:
            return context
        customers_only = (
            bool(query.relationship_type)
            and RelationshipType.objects.filter(
                pk=int(query.relationship_type), code=RelationshipType.CUSTOMER
            ).exists()
        )
        # Counted cells answer a country and the type Customer; other filters select accounts.
        counted = not (
            query.text
            or query.industry
            or query.credit_hold
            or query.owner
            or query.status
            or (query.relationship_type and not customers_only)
        )
        points = selectors.overview_points(
            entries=None if counted else selectors.overview_entries(query),
            country=query.country or None,
            customers_only=customers_only,
        )
        context["points"] = points
        status = ngettext(
            "On the map: %(n)s matching account.",
            "On the map: %(n)s matching accounts.",
            points.total,
        ) % {"n": intcomma(points.total)}
        context["status"] = f"{status} {_aggregated()}" if points.aggregated else status
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
