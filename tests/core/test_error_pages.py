"""A 404 or 403 keeps the site's layout: the navigation and a way home, and never says what was hidden."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_not_found_page_keeps_the_navigation_and_a_way_home(client, employee_a):
    client.force_login(employee_a)
    response = client.get("/hiring/applications/999999/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "<title>Page not found · Centric</title>" in body
    assert 'aria-label="Main"' in body
    assert f'<a href="{reverse("home")}">Go to the home page</a>' in body
    assert "Application" not in body, "the model behind the URL stays unnamed"


def test_not_found_page_renders_for_anonymous_visitors(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_forbidden_page_stays_inside_the_layout(client, employee_a):
    client.force_login(employee_a)
    response = client.get(reverse("hiring:candidate_list"))
    body = response.content.decode()
    assert response.status_code == 403
    assert "<title>Not allowed · Centric</title>" in body
    assert "Your role does not allow this." in body
    assert 'aria-label="Main"' in body


def test_server_error_page_renders_without_a_request_context(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/anywhere/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert "<title>Something went wrong · Centric</title>" in body
    assert 'href="/"' in body and "/static/css/app.css" in body
