"""Customers' own words: imported with the response, shown on the team page and the members' homes with any
email address or phone number masked, the latest three per team, in one query."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from culture.measurements import import_responses
from culture.measurements.comments import recent_comments
from culture.measurements.masking import mask_contact_details
from culture.models import SurveyResponse


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("Mail me at jane.doe+cx@example.co.uk please", "Mail me at [email] please"),
        ("Call +46 70 123 45 67 tomorrow", "Call [phone] tomorrow"),
        ("call (030) 1234-5678.", "call [phone]."),
        ("Ring 0701234567 or 070-123 45 67", "Ring [phone] or [phone]"),
        ("a@b.se and 555-1234", "[email] and [phone]"),
        ("On 2026-09-15 I waited 45 minutes", "On 2026-09-15 I waited 45 minutes"),
        ("Paid EUR 1,200 on 15.09.2026", "Paid EUR 1,200 on 15.09.2026"),
        ("Order 123456 was late", "Order 123456 was late"),
        ("I gave 10 out of 10, 3 times", "I gave 10 out of 10, 3 times"),
    ],
)
def test_masks_email_addresses_and_phone_numbers_and_nothing_else(text, masked):
    assert mask_contact_details(text) == masked


def _response(team, day, respondent, comment, score=9):
    return SurveyResponse.objects.create(
        team=team, survey="nps", date=day, score=score, respondent=respondent, comment=comment
    )


@pytest.mark.django_db
def test_recent_comments_keep_the_latest_three_per_team_masked(team_a, team_b, django_assert_num_queries):
    today = dt.date(2026, 10, 1)
    for number in range(5):
        _response(team_a, today - dt.timedelta(days=number), f"a{number}", f"A{number} call 070-123 45 67")
    _response(team_a, today - dt.timedelta(days=100), "old", "too old")
    _response(team_a, today, "silent", "")
    _response(team_b, today, "b1", "B mail b@example.com")

    with django_assert_num_queries(1):
        found = recent_comments([team_a.pk, team_b.pk], today=today)

    assert [c.text for c in found[team_a.pk]] == ["A0 call [phone]", "A1 call [phone]", "A2 call [phone]"]
    assert [c.text for c in found[team_b.pk]] == ["B mail [email]"]


@pytest.mark.django_db
def test_the_import_takes_the_comment_column_and_a_resend_updates_it(team_a, cco):
    csv = "team,survey,date,channel,score,respondent,comment\nteam-a,nps,2026-04-01,chat,10,r1,Great help\n"
    import_responses(stream=io.BytesIO(csv.encode()), filename="r.csv", user=cco, source="test")
    import_responses(
        stream=io.BytesIO(csv.replace("Great help", "Great help!").encode()), filename="r.csv", user=cco, source="test"
    )

    assert list(SurveyResponse.objects.values_list("respondent", "comment")) == [("r1", "Great help!")]


@pytest.mark.django_db
def test_team_page_and_member_home_show_masked_comments_hr_does_not(client, team_a, employee_a, recruiter):
    _response(team_a, timezone.localdate(), "r1", "Anna at anna@example.com fixed it, call +46 70 123 45 67")
    client.force_login(employee_a)

    team_page = client.get(reverse("culture:team_detail", args=[team_a.slug])).content.decode()
    home = client.get(reverse("home")).content.decode()
    client.force_login(recruiter)
    hr_page = client.get(reverse("culture:team_detail", args=[team_a.slug])).content.decode()

    masked = "Anna at [email] fixed it, call [phone]"
    assert masked in team_page and masked in home
    assert "anna@example.com" not in team_page + home
    assert "What customers said" not in hr_page and "Anna at" not in hr_page


@pytest.mark.django_db
def test_the_api_takes_responses_with_comments_all_or_nothing(team_a, team_b, lead_a):
    from rest_framework.test import APIClient

    from users.tokens import issue

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {issue(lead_a, name='test')[1]}")
    url = "/api/v1/survey-responses/bulk/"
    good = {"team": "team-a", "survey": "nps", "date": "2026-04-01", "score": 9, "respondent": "r1", "comment": "Kind"}

    refused = api.post(url, [good, {**good, "team": "team-b", "respondent": "r2"}], format="json")
    accepted = api.post(url, [good], format="json")
    again = api.post(url, [{**good, "comment": "Kind, call 070-123 45 67"}], format="json")

    assert refused.status_code == 400 and refused.json()["errors"][0]["row"] == 2
    assert accepted.status_code == 200 and accepted.json()["created"] == 1
    assert again.json()["updated"] == 1
    assert list(SurveyResponse.objects.values_list("team__slug", "comment")) == [("team-a", "Kind, call 070-123 45 67")]


@given(
    before=st.text(alphabet="abcdefgh ,.!?", max_size=30),
    user=st.from_regex(r"[a-z][a-z0-9.]{0,10}[a-z0-9]", fullmatch=True),
    host=st.from_regex(r"[a-z]{2,8}\.(se|com|co\.uk)", fullmatch=True),
    digits=st.lists(st.integers(0, 9), min_size=7, max_size=12),
)
def test_no_email_or_phone_survives_masking(before, user, host, digits):
    email = f"{user}@{host}"
    phone = "+" + " ".join("".join(map(str, digits[i : i + 3])) for i in range(0, len(digits), 3))
    masked = mask_contact_details(f"{before} {email} then {phone} {before}")

    assert email not in masked and "@" not in masked
    assert sum(ch.isdigit() for ch in masked) == 0
    assert masked.count("[email]") == 1 and masked.count("[phone]") == 1


@given(st.text(alphabet="abcdefghij ,.!?'-", max_size=80))
def test_text_without_digits_or_at_signs_is_left_alone(text):
    assert mask_contact_details(text) == text
