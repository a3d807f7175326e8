"""SCIM 2.0 against the protocol's own request examples (RFC 7644), adapted to our schema: userName is the
person's email address (the RFC's "bjensen" becomes "bjensen@example.com") and ids are ours.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from core.models import AuditEntry
from culture.models import Membership, Person, Team
from scim.protocol import ERROR_SCHEMA, LIST_SCHEMA, PATCH_SCHEMA
from tests.factories import MembershipFactory, PersonFactory, TeamFactory, UserFactory
from users.models import User
from users.roles import Role
from users.tokens import issue

pytestmark = pytest.mark.django_db

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"

# RFC 7644 section 3.3, the creation request, with userName as our login address.
BJENSEN = {
    "schemas": [USER],
    "userName": "bjensen@example.com",
    "externalId": "bjensen",
    "name": {"formatted": "Ms. Barbara J Jensen III", "familyName": "Jensen", "givenName": "Barbara"},
}


def _today() -> dt.date:
    return timezone.localdate()


def test_rfc_3_3_creating_a_user_creates_the_person_and_their_login(scim):
    answer = scim.post("/scim/v2/Users", BJENSEN)

    assert answer.status_code == 201
    assert answer["Content-Type"] == "application/scim+json"
    body = answer.json()
    person = Person.objects.get(pk=int(body["id"]))
    assert answer["Location"] == f"http://testserver/scim/v2/Users/{person.pk}"
    assert body["userName"] == "bjensen@example.com"
    assert body["externalId"] == "bjensen"
    assert body["active"] is True
    assert body["meta"] == {"resourceType": "User", "location": answer["Location"]}
    assert (person.name, person.email, person.employee_number) == (
        "Ms. Barbara J Jensen III",
        "bjensen@example.com",
        "bjensen",
    )
    assert person.user.email == "bjensen@example.com"
    assert not person.user.has_usable_password()  # signs in through single sign-on
    assert person.user.roles == {Role.EMPLOYEE}
    entry = AuditEntry.objects.get(action="scim.person_created")
    assert entry.after == {"person": person.pk, "user": person.user.pk, "active": True}
    assert entry.actor is None and entry.reason == "SCIM provisioning (Entra ID)"


def test_rfc_3_3_creating_a_duplicate_username_is_a_uniqueness_error(scim):
    scim.post("/scim/v2/Users", BJENSEN)

    answer = scim.post("/scim/v2/Users", {**BJENSEN, "externalId": "other", "userName": "BJensen@example.com"})

    assert answer.status_code == 409
    assert answer.json() == {
        "schemas": [ERROR_SCHEMA],
        "status": "409",
        "scimType": "uniqueness",
        "detail": "A user with userName bjensen@example.com already exists.",
    }
    assert Person.objects.count() == 1


def test_an_existing_login_without_a_person_is_linked_not_duplicated(scim):
    existing = UserFactory(email="bjensen@example.com")

    body = scim.post("/scim/v2/Users", BJENSEN).json()

    assert Person.objects.get(pk=int(body["id"])).user == existing
    assert User.objects.filter(email__iexact="bjensen@example.com").count() == 1


def test_rfc_3_4_1_retrieving_a_known_and_an_unknown_user(scim):
    person = PersonFactory(name="Alva Berg", email="alva@example.com", employee_number="E1")

    body = scim.get(f"/scim/v2/Users/{person.pk}").json()
    missing = scim.get("/scim/v2/Users/2819c223-7f76-453a-919d-413861904646")

    assert body["id"] == str(person.pk) and body["userName"] == "alva@example.com"
    assert body["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] == {"employeeNumber": "E1"}
    assert missing.status_code == 404
    assert missing.json()["schemas"] == [ERROR_SCHEMA] and missing.json()["status"] == "404"


def test_rfc_3_4_2_2_filtering_by_username_is_case_insensitive(scim):
    PersonFactory(email="bjensen@example.com")
    PersonFactory(email="other@example.com")

    answer = scim.get("/scim/v2/Users", {"filter": 'userName eq "BJensen@example.com"'})

    body = answer.json()
    assert body["schemas"] == [LIST_SCHEMA]
    assert (body["totalResults"], body["itemsPerPage"], body["startIndex"]) == (1, 1, 1)
    assert [r["userName"] for r in body["Resources"]] == ["bjensen@example.com"]
    nobody = scim.get("/scim/v2/Users", {"filter": 'userName eq "nobody@example.com"'}).json()
    assert (nobody["totalResults"], nobody["Resources"]) == (0, [])


def test_rfc_3_4_2_2_filtering_by_external_id(scim):
    PersonFactory(email="bjensen@example.com", employee_number="bjensen")

    body = scim.get("/scim/v2/Users", {"filter": 'externalId eq "bjensen"'}).json()

    assert [r["userName"] for r in body["Resources"]] == ["bjensen@example.com"]


@pytest.mark.parametrize(
    "text", ["title pr", 'userName sw "J"', 'userName eq "a" or userName eq "b"', 'nickName eq "x"']
)
def test_rfc_3_4_2_2_unsupported_filters_are_invalid_filter_errors(scim, text):
    answer = scim.get("/scim/v2/Users", {"filter": text})

    assert answer.status_code == 400
    assert answer.json()["scimType"] == "invalidFilter"


def test_rfc_3_4_2_4_pagination_with_start_index_and_count(scim):
    people = [PersonFactory() for _ in range(5)]

    body = scim.get("/scim/v2/Users", {"startIndex": "2", "count": "2"}).json()

    assert (body["totalResults"], body["itemsPerPage"], body["startIndex"]) == (5, 2, 2)
    assert [r["id"] for r in body["Resources"]] == [str(people[1].pk), str(people[2].pk)]
    only_count = scim.get("/scim/v2/Users", {"count": "0"}).json()
    assert (only_count["totalResults"], only_count["Resources"]) == (5, [])
    clamped = scim.get("/scim/v2/Users", {"startIndex": "-3", "count": "1"}).json()
    assert clamped["startIndex"] == 1 and clamped["Resources"][0]["id"] == str(people[0].pk)


def test_rfc_3_5_1_replacing_a_user_with_put(scim):
    person_id = scim.post("/scim/v2/Users", BJENSEN).json()["id"]
    # RFC 7644 section 3.5.1's PUT body (middle name, a second address), adapted.
    replacement = {
        "schemas": [USER],
        "id": person_id,
        "userName": "bjensen@example.com",
        "externalId": "bjensen",
        "name": {"familyName": "Jensen", "givenName": "Barbara", "middleName": "Jane"},
        "roles": [],
        "emails": [{"value": "bjensen@example.com"}, {"value": "babs@jensen.org"}],
    }

    answer = scim.put(f"/scim/v2/Users/{person_id}", replacement)

    assert answer.status_code == 200
    person = Person.objects.get(pk=int(person_id))
    assert (person.name, person.user.name) == ("Barbara Jensen", "Barbara Jensen")
    assert answer.json()["name"] == {"formatted": "Barbara Jensen"}


def test_rfc_3_5_2_3_replace_without_a_path_changes_the_named_attributes(scim):
    person_id = scim.post("/scim/v2/Users", BJENSEN).json()["id"]
    body = {
        "schemas": [PATCH_SCHEMA],
        "Operations": [
            {
                "op": "replace",
                "value": {
                    "emails": [{"value": "babs@jensen.org", "type": "work", "primary": True}],
                    "nickname": "Babs",
                },
            },
            {"op": "replace", "path": "userName", "value": "babs@jensen.org"},
        ],
    }

    answer = scim.patch(f"/scim/v2/Users/{person_id}", body)

    assert answer.status_code == 200
    person = Person.objects.select_related("user").get(pk=int(person_id))
    assert (person.email, person.user.email) == ("babs@jensen.org", "babs@jensen.org")


def test_entra_style_patch_of_name_parts_updates_the_name(scim):
    person_id = scim.post("/scim/v2/Users", BJENSEN).json()["id"]
    body = {
        "schemas": [PATCH_SCHEMA],
        "Operations": [
            {"op": "Replace", "path": "name.formatted", "value": "Barbara Jensen-Berg"},
        ],
    }

    scim.patch(f"/scim/v2/Users/{person_id}", body)

    assert Person.objects.get(pk=int(person_id)).name == "Barbara Jensen-Berg"


@pytest.mark.parametrize("value", [False, "False"])
def test_deactivating_a_user_keeps_the_person_ends_memberships_and_the_login(scim, value):
    person_id = scim.post("/scim/v2/Users", BJENSEN).json()["id"]
    person = Person.objects.get(pk=int(person_id))
    membership = MembershipFactory(person=person, start=dt.date(2024, 1, 1))

    answer = scim.patch(
        f"/scim/v2/Users/{person_id}",
        {"schemas": [PATCH_SCHEMA], "Operations": [{"op": "Replace", "path": "active", "value": value}]},
    )

    assert answer.status_code == 200 and answer.json()["active"] is False
    person.refresh_from_db()
    membership.refresh_from_db()
    assert person.is_active is False
    assert person.user.is_active is False
    assert membership.end == _today() - dt.timedelta(days=1)
    assert AuditEntry.objects.filter(action="scim.person_deactivated", object_id=person_id).count() == 1
    assert scim.get(f"/scim/v2/Users/{person_id}").json()["active"] is False


def test_deleting_a_user_deactivates_and_never_deletes(scim):
    person_id = scim.post("/scim/v2/Users", BJENSEN).json()["id"]

    answer = scim.delete(f"/scim/v2/Users/{person_id}")

    assert answer.status_code == 204
    person = Person.objects.get(pk=int(person_id))
    assert (person.is_active, person.user.is_active) == (False, False)


def test_reactivating_a_user_restores_the_login(scim):
    person_id = scim.post("/scim/v2/Users", {**BJENSEN, "active": False}).json()["id"]

    scim.patch(
        f"/scim/v2/Users/{person_id}",
        {"schemas": [PATCH_SCHEMA], "Operations": [{"op": "replace", "value": {"active": True}}]},
    )

    person = Person.objects.get(pk=int(person_id))
    assert (person.is_active, person.user.is_active) == (True, True)


def test_a_patch_without_the_patchop_schema_is_invalid_syntax(scim):
    person_id = scim.post("/scim/v2/Users", BJENSEN).json()["id"]

    answer = scim.patch(f"/scim/v2/Users/{person_id}", {"Operations": [{"op": "replace", "path": "active"}]})

    assert answer.status_code == 400 and answer.json()["scimType"] == "invalidSyntax"


# --- Groups ----------------------------------------------------------------------------------------------


def test_rfc_3_3_creating_a_group_creates_a_team_with_its_members(scim):
    alva, bo = PersonFactory(), PersonFactory()

    answer = scim.post(
        "/scim/v2/Groups",
        {"schemas": [GROUP], "displayName": "Tour Guides", "members": [{"value": str(alva.pk)}, {"value": str(bo.pk)}]},
    )

    assert answer.status_code == 201
    team = Team.objects.get(pk=int(answer.json()["id"]))
    assert (team.name, team.slug, team.department.slug) == ("Tour Guides", "tour-guides", "provisioned")
    current = Membership.objects.current().filter(team=team)
    assert sorted(m.person_id for m in current) == sorted([alva.pk, bo.pk])
    assert {m.start for m in current} == {_today()}
    assert {m["value"] for m in answer.json()["members"]} == {str(alva.pk), str(bo.pk)}


def test_rfc_3_5_2_1_adding_members_to_a_group(scim):
    team = TeamFactory(name="Tour Guides")
    already = MembershipFactory(team=team).person
    babs = PersonFactory(name="Babs Jensen")
    body = {
        "schemas": [PATCH_SCHEMA],
        "Operations": [
            {
                "op": "add",
                "path": "members",
                "value": [
                    {
                        "display": "Babs Jensen",
                        "$ref": f"http://testserver/scim/v2/Users/{babs.pk}",
                        "value": str(babs.pk),
                    }
                ],
            }
        ],
    }

    answer = scim.patch(f"/scim/v2/Groups/{team.pk}", body)

    assert answer.status_code == 200
    assert {m["value"] for m in answer.json()["members"]} == {str(already.pk), str(babs.pk)}
    added = Membership.objects.get(team=team, person=babs)
    assert (added.start, added.end, added.role) == (_today(), None, Membership.Role.MEMBER)
    assert AuditEntry.objects.filter(action="scim.membership_started", object_id=str(added.pk)).exists()


def test_adding_a_member_twice_keeps_one_membership(scim):
    team, babs = TeamFactory(), PersonFactory()
    add = {
        "schemas": [PATCH_SCHEMA],
        "Operations": [{"op": "add", "path": "members", "value": [{"value": str(babs.pk)}]}],
    }

    scim.patch(f"/scim/v2/Groups/{team.pk}", add)
    scim.patch(f"/scim/v2/Groups/{team.pk}", add)

    assert Membership.objects.filter(team=team, person=babs).count() == 1


def test_rfc_3_5_2_2_removing_one_member_by_value_filter_dates_the_end(scim):
    team = TeamFactory()
    staying = MembershipFactory(team=team, start=dt.date(2024, 1, 1))
    leaving = MembershipFactory(team=team, start=dt.date(2024, 1, 1))
    body = {
        "schemas": [PATCH_SCHEMA],
        "Operations": [{"op": "remove", "path": f'members[value eq "{leaving.person_id}"]'}],
    }

    answer = scim.patch(f"/scim/v2/Groups/{team.pk}", body)

    assert [m["value"] for m in answer.json()["members"]] == [str(staying.person_id)]
    leaving.refresh_from_db()
    staying.refresh_from_db()
    assert leaving.end == _today() - dt.timedelta(days=1)  # history kept, not deleted
    assert staying.end is None


def test_rfc_3_5_2_2_removing_all_members(scim):
    team = TeamFactory()
    MembershipFactory(team=team, start=dt.date(2024, 1, 1))
    MembershipFactory(team=team, start=dt.date(2024, 1, 1))

    answer = scim.patch(
        f"/scim/v2/Groups/{team.pk}", {"schemas": [PATCH_SCHEMA], "Operations": [{"op": "remove", "path": "members"}]}
    )

    assert answer.json()["members"] == []
    assert Membership.objects.filter(team=team).count() == 2
    assert not Membership.objects.current().filter(team=team).exists()


def test_entra_style_member_removal_with_a_value_list(scim):
    team = TeamFactory()
    leaving = MembershipFactory(team=team, start=dt.date(2024, 1, 1))
    body = {
        "schemas": [PATCH_SCHEMA],
        "Operations": [{"op": "Remove", "path": "members", "value": [{"value": str(leaving.person_id)}]}],
    }

    assert scim.patch(f"/scim/v2/Groups/{team.pk}", body).json()["members"] == []


def test_rfc_3_5_2_3_replacing_members_and_renaming(scim):
    team = TeamFactory(name="Old name")
    gone = MembershipFactory(team=team, start=dt.date(2024, 1, 1))
    kept = MembershipFactory(team=team, start=dt.date(2024, 1, 1))
    new = PersonFactory()
    body = {
        "schemas": [PATCH_SCHEMA],
        "Operations": [
            {"op": "replace", "path": "members", "value": [{"value": str(kept.person_id)}, {"value": str(new.pk)}]},
            {"op": "replace", "value": {"displayName": "Tour Guides"}},
        ],
    }

    answer = scim.patch(f"/scim/v2/Groups/{team.pk}", body).json()

    assert answer["displayName"] == "Tour Guides"
    assert {m["value"] for m in answer["members"]} == {str(kept.person_id), str(new.pk)}
    gone.refresh_from_db()
    assert gone.end == _today() - dt.timedelta(days=1)


def test_a_member_added_and_removed_the_same_day_leaves_no_membership_and_can_be_added_again(scim):
    team, babs = TeamFactory(), PersonFactory()
    add = {
        "schemas": [PATCH_SCHEMA],
        "Operations": [{"op": "add", "path": "members", "value": [{"value": str(babs.pk)}]}],
    }
    remove = {"schemas": [PATCH_SCHEMA], "Operations": [{"op": "remove", "path": f'members[value eq "{babs.pk}"]'}]}

    scim.patch(f"/scim/v2/Groups/{team.pk}", add)
    scim.patch(f"/scim/v2/Groups/{team.pk}", remove)
    assert not Membership.objects.filter(team=team, person=babs).exists()
    assert AuditEntry.objects.filter(action="scim.membership_withdrawn").count() == 1
    scim.patch(f"/scim/v2/Groups/{team.pk}", add)

    (membership,) = Membership.objects.filter(team=team, person=babs)
    assert (membership.start, membership.end) == (_today(), None)


def test_an_unknown_member_is_refused_and_nothing_changes(scim):
    team = TeamFactory()
    body = {"schemas": [PATCH_SCHEMA], "Operations": [{"op": "add", "path": "members", "value": [{"value": "999999"}]}]}

    answer = scim.patch(f"/scim/v2/Groups/{team.pk}", body)

    assert answer.status_code == 400 and answer.json()["scimType"] == "invalidValue"
    assert not Membership.objects.filter(team=team).exists()


def test_filtering_groups_by_display_name_and_excluding_members(scim):
    team = TeamFactory(name="Tour Guides")
    MembershipFactory(team=team)
    TeamFactory(name="Other")

    body = scim.get(
        "/scim/v2/Groups", {"filter": 'displayName eq "tour guides"', "excludedAttributes": "members"}
    ).json()

    assert body["totalResults"] == 1
    assert body["Resources"][0]["displayName"] == "Tour Guides"
    assert "members" not in body["Resources"][0]


def test_deleting_a_group_closes_the_team_and_keeps_its_history(scim):
    team = TeamFactory()
    membership = MembershipFactory(team=team, start=dt.date(2024, 1, 1))

    assert scim.delete(f"/scim/v2/Groups/{team.pk}").status_code == 204

    team.refresh_from_db()
    membership.refresh_from_db()
    assert team.is_active is False
    assert membership.end == _today() - dt.timedelta(days=1)
    assert scim.get(f"/scim/v2/Groups/{team.pk}").status_code == 404


def test_a_user_lists_their_current_groups(scim):
    membership = MembershipFactory(start=dt.date(2024, 1, 1))

    body = scim.get(f"/scim/v2/Users/{membership.person_id}").json()

    assert body["groups"] == [
        {
            "value": str(membership.team_id),
            "display": membership.team.name,
            "$ref": f"http://testserver/scim/v2/Groups/{membership.team_id}",
        }
    ]


# --- discovery and authentication --------------------------------------------------------------------------


def test_service_provider_config_resource_types_and_schemas(scim):
    config = scim.get("/scim/v2/ServiceProviderConfig").json()
    types = scim.get("/scim/v2/ResourceTypes").json()
    schemas = scim.get("/scim/v2/Schemas").json()

    assert config["patch"] == {"supported": True} and config["bulk"]["supported"] is False
    assert config["filter"] == {"supported": True, "maxResults": 200}
    assert config["authenticationSchemes"][0]["type"] == "oauthbearertoken"
    assert [t["id"] for t in types["Resources"]] == ["User", "Group"]
    assert scim.get("/scim/v2/ResourceTypes/User").json()["endpoint"] == "/Users"
    assert {s["id"] for s in schemas["Resources"]} == {
        USER,
        GROUP,
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
    }
    assert scim.get(f"/scim/v2/Schemas/{USER}").json()["name"] == "User"


def test_without_a_token_scim_answers_401_in_scim_format(client):
    answer = client.get("/scim/v2/Users")

    assert answer.status_code == 401
    assert answer["WWW-Authenticate"] == 'Bearer realm="scim"'
    assert answer.json()["schemas"] == [ERROR_SCHEMA]


def test_a_user_api_token_or_session_does_not_open_scim(client):
    cco = UserFactory(roles=[Role.ADMIN], is_superuser=True)
    key = issue(cco, name="test")[1]

    assert client.get("/scim/v2/Users", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    assert client.get("/scim/v2/Users", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    client.force_login(cco)
    assert client.get("/scim/v2/Users").status_code == 401


def test_a_revoked_token_is_refused_and_tokens_are_stored_hashed(scim_token, scim):
    token, value = scim_token
    assert value not in token.digest and token.digest != value
    assert scim.get("/scim/v2/Users").status_code == 200

    token.revoke()

    assert scim.get("/scim/v2/Users").status_code == 401


def test_a_scim_token_does_not_open_the_rest_api_or_the_pages(scim):
    assert scim.get("/api/v1/teams/").status_code == 401
    assert scim.get("/culture/teams/").status_code == 302  # to the login page


def test_an_unknown_scim_path_is_a_scim_404(scim):
    answer = scim.get("/scim/v2/Bulk")
    assert answer.status_code == 404 and answer.json()["status"] == "404"
