"""The SCIM surface in the access matrix's world: only the SCIM token opens /scim/v2/.

Every role's session (the page client) and user API token (the API client) is refused there with 401 in
SCIM's format, and a refused write changes nothing; the SCIM token is allowed every operation. The other
direction (a SCIM token opens no page and no /api/v1/ resource) is the `scim_token` row of matrix.py.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
from django.db import transaction

from culture.models import Membership, Person

from .matrix import ALLOW, DENY, ROLES

pytestmark = pytest.mark.django_db

PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ACTIONS = ("list", "view", "create", "edit", "delete", "group_members")


def _state() -> tuple:
    return (
        tuple(Person.objects.order_by("pk").values_list("pk", "name", "email", "is_active")),
        tuple(Membership.objects.order_by("pk").values_list("pk", "person_id", "team_id", "start", "end")),
    )


def _request(world, client, action: str):
    person = world.users["employee"].person
    calls = {
        "list": ("get", "/scim/v2/Users", None),
        "view": ("get", f"/scim/v2/Users/{person.pk}", None),
        "create": ("post", "/scim/v2/Users", {"userName": "new.hire@example.com", "externalId": "E-SCIM-1"}),
        "edit": (
            "patch",
            f"/scim/v2/Users/{person.pk}",
            {
                "schemas": [PATCH],
                "Operations": [{"op": "replace", "path": "name.formatted", "value": "Renamed By Scim"}],
            },
        ),
        "delete": ("delete", f"/scim/v2/Users/{person.pk}", None),
        "group_members": (
            "patch",
            f"/scim/v2/Groups/{world.team_b.pk}",
            {
                "schemas": [PATCH],
                "Operations": [{"op": "add", "path": "members", "value": [{"value": str(person.pk)}]}],
            },
        ),
    }
    method, path, body = calls[action]
    if body is None:
        return getattr(client, method)(path)
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/scim+json")


def _observe(world, client, action: str) -> str:
    before = _state()
    with transaction.atomic():
        answer = _request(world, client, action)
        changed = _state() != before
        transaction.set_rollback(True)
    if answer.status_code in (200, 201, 204):
        return ALLOW
    assert answer.status_code == 401, (action, answer.status_code)
    assert answer.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert not changed, f"a refused {action} changed the org"
    return DENY


@pytest.mark.parametrize("action", ACTIONS)
def test_only_the_scim_token_opens_scim(world, action):
    seen = Counter()
    unexpected = []
    for role in ROLES:
        for surface, clients in (("page", world.pages), ("api", world.apis)):
            decision = _observe(world, clients[role], action)
            seen[decision] += 1
            expected = ALLOW if role == "scim_token" else DENY
            if decision != expected:
                unexpected.append(f"{role} {action} ({surface}): expected {expected}, saw {decision}")
    assert not unexpected, unexpected
    assert seen == {ALLOW: 2, DENY: 2 * (len(ROLES) - 1)}
