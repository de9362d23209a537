"""What every page shares: the favicon, the log-out page, the error pages and the error summary."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from accounts.models import Account
from sales.models import Quote
from tests.accounts.factories import IndustryFactory
from tests.html import parse
from tests.sales.factories import CustomerFactory


@pytest.mark.django_db
def test_every_page_names_the_favicon_and_static_serves_it(client, sales_user):
    client.force_login(sales_user)
    icon = parse(client.get(reverse("accounts:list")).content).find("link", rel="icon")
    assert icon.attrs["href"].endswith("favicon.svg")
    assert icon.attrs["type"] == "image/svg+xml"
    path = finders.find("favicon.svg")
    assert path and Path(path).read_text().startswith("<svg")


def test_favicon_ico_leads_to_the_icon_without_a_login(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith(".svg") and "favicon" in response["Location"]
    assert "max-age=86400" in response["Cache-Control"]


@pytest.mark.django_db
def test_get_logout_offers_a_log_out_button_and_only_post_logs_out(client, sales_user):
    """A typed /logout/ is a page with a Log out button (not an empty 405), and leaves the user
    logged in until the button is pressed."""
    client.force_login(sales_user)
    response = client.get(reverse("logout"))
    assert response.status_code == 200
    form = parse(response.content).find("main").find("form", method="post")
    assert form.attrs["action"] == reverse("logout")
    assert form.find("button", type="submit").text == "Log out"
    assert "_auth_user_id" in client.session

    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url == reverse("login")
    assert "_auth_user_id" not in client.session
    # Logged out, the address leads to the login page like every other page.
    response = client.get(reverse("logout"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_a_get_on_a_form_only_address_is_a_page_that_says_so(client, sales_user):
    account = CustomerFactory()
    client.force_login(sales_user)
    url = reverse("accounts:owner", args=[account.pk])
    response = client.get(url)
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    # Drawn inside the security middleware, which add their headers to it.
    assert "default-src" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    page = parse(response.content)
    assert page.find("h1").text == "Not a page to open"
    assert page.find("nav", aria_label="Main menu") is not None
    dutch = parse(client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content)
    assert dutch.find("h1").text == "Geen pagina om te openen"


def test_the_500_page_needs_no_database_no_user_and_no_context_processor():
    """Rendered with the database out of reach (no django_db mark): the layout's style sheet,
    the favicon and a way back, and no menu that would need the user."""
    response = server_error(RequestFactory().get("/accounts/"))
    assert response.status_code == 500
    page = parse(response.content)
    assert page.find("h1").text == "Something went wrong"
    assert page.find("link", rel="stylesheet").attrs["href"].endswith("css/app.css")
    assert page.find("link", rel="icon")
    assert page.find("main", class_="content")
    assert not page.find_all("nav")


@pytest.mark.django_db
def test_a_refused_account_form_opens_with_a_summary_linking_each_field(client, sales_user):
    """Every error of the account and its visit address, at the top, each linked to its box."""
    client.force_login(sales_user)
    industry = IndustryFactory(name="_Software")
    response = client.post(
        reverse("accounts:create"),
        {"name": "", "industry": industry.pk, "email": "not an email", "visit-country": "XX"},
    )
    assert response.status_code == 200
    assert not Account.objects.exists()
    summary = parse(response.content).find("div", class_="error-summary")
    assert summary.attrs["role"] == "alert" and summary.attrs["tabindex"] == "-1"
    links = {link.attrs["href"]: link.text for link in summary.find_all("a")}
    assert links["#id_name"].startswith("Name: ")
    assert links["#id_email"].startswith("Email: ")
    assert links["#id_visit-country"].startswith("Country: ")
    assert summary.find("h2").text == f"This form was not saved: fix the {len(links)} errors below."


@pytest.mark.django_db
def test_a_refused_quote_names_the_line_in_its_summary(client, sales_user):
    client.force_login(sales_user)
    customer = CustomerFactory()
    response = client.post(
        reverse("sales:quote_create"),
        {
            "customer": customer.pk,
            "customer_name": customer.name,
            "vat_rate": "21",
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-0-description": "Panels",
            "lines-0-quantity": "lots",
            "lines-0-unit_price": "10",
        },
    )
    assert response.status_code == 200
    assert not Quote.objects.exists()
    summary = parse(response.content).find("div", class_="error-summary")
    link = summary.find("a", href="#id_lines-0-quantity")
    assert link.text.startswith("Line 1, Quantity: ")


@pytest.mark.django_db
def test_a_valid_page_shows_no_error_summary(client, sales_user):
    client.force_login(sales_user)
    assert not parse(client.get(reverse("accounts:create")).content).find_all(
        class_="error-summary"
    )


@pytest.mark.django_db
def test_a_form_sent_without_its_security_token_gets_the_sites_page_in_dutch():
    """After logging in in another tab: the site's page, no inline style the CSP would block."""
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    response = browser.post(
        reverse("login"), {"username": "x", "password": "y"}, HTTP_ACCEPT_LANGUAGE="nl"
    )
    assert response.status_code == 403
    page = parse(response.content)
    assert page.find("h1").text == "Het formulier is verlopen"
    assert not page.find_all("style")
    assert page.find("link", rel="stylesheet")


@pytest.mark.django_db
def test_a_body_refused_before_the_language_is_chosen_gets_the_readers_language(client, settings):
    """Too many fields are refused while the first middleware reads the form: the 400 page
    spoke the worker's previous request's language."""
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    assert client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    fields = {f"f{n}": "x" for n in range(20)}
    response = client.post(reverse("login"), fields, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 400
    assert parse(response.content).find("h1").text == "Ongeldig verzoek"
