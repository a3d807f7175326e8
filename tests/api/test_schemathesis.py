"""Schemathesis against our own OpenAPI schema: generated requests to every operation, zero server errors.

Schemathesis' pytest plugin does not run under pytest 9, so each operation's hypothesis strategy is
driven directly here.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from users.tokens import issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_schema():
    """The schema served by the app itself, called in-process. Like Django's test client, requests must
    not close the database connection: the test's transaction lives on it."""
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# The CCO reaches every operation's success path; the other roles mostly meet refusals and empty scopes,
# which must be 403/404/400 too, never a 500. Fewer examples for them keep the suite quick.
ROLES = {"cco": 12, "lead_a": 8, "employee_a": 8, "recruiter": 8}


@pytest.fixture(params=sorted(ROLES))
def caller(request, lead_a):
    """A token for each role; team-a and its lead exist whoever calls."""
    user = lead_a if request.param == "lead_a" else request.getfixturevalue(request.param)
    return issue(user, name="test")[1], ROLES[request.param]


def test_no_api_operation_answers_with_a_server_error(api_schema, caller):
    token, examples = caller
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
        def call(case):
            case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=[not_a_server_error])

        call()
