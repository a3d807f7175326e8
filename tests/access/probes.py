"""One probe per (object, action, surface): send the request a role would send and read the decision.

Reads: ALLOW when the answer holds the object, HIDDEN when it is a 404 or a list without it, DENY on 401/403
or the login page. Writes run in a savepoint that is rolled back, so no probe changes what the next one
sees: ALLOW only when the object's rows really changed; otherwise the refusal says DENY or HIDDEN, and a
refused write must leave those rows exactly as they were (the fingerprint compares counts and values).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core import export_jobs
from core.exports import XLSX_TYPE
from core.models import AuditEntry
from culture.models import Department, Measurement, Membership, Person, Review, Target, Team
from hiring.models import Application, Candidate, HireReview, Interview, Scorecard, ScorecardDraft
from incentives.models import Adjustment, AdjustmentApproval, PayoutLine, PayoutRun, StatementDispute
from reports.models import GeneratedReport

from .matrix import ALLOW, DENY, HIDDEN
from .world import DAY, MEASURED_KPI, PERIOD, RECOGNITION_TEXT, REVIEW_ACTION_TEXT, UPCOMING_TITLE, World

LOGIN = "/accounts/login/"
HIDDEN_TEAM = "unknown team slug, or a team you may not edit"


@dataclass(frozen=True)
class Seen:
    """An observed decision and the request behind it, for the failure report."""

    decision: str
    how: str


def _refusal(response) -> str | None:
    if response.status_code in (401, 403):
        return DENY
    if response.status_code == 302 and response["Location"].startswith(LOGIN):
        return DENY
    if response.status_code == 404:
        return HIDDEN
    return None


def _how(method: str, url: str, response) -> str:
    where = f" -> {response['Location']}" if response.status_code in (301, 302) else ""
    return f"{method} {url}: {response.status_code}{where}"


def read_page(client, url: str, marker: str) -> Seen:
    response = client.get(url)
    how = _how("GET", url, response)
    if (refusal := _refusal(response)) is not None:
        return Seen(refusal, how)
    if response.status_code != 200:
        return Seen(f"unexpected {response.status_code}", how)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return Seen(ALLOW if marker.encode() in body else HIDDEN, how)


def read_api(client, url: str, holds: Callable[[Any], bool]) -> Seen:
    response = client.get(url, format="json")
    how = _how("GET", url, response)
    if (refusal := _refusal(response)) is not None:
        return Seen(refusal, how)
    if response.status_code != 200:
        return Seen(f"unexpected {response.status_code}", how)
    return Seen(ALLOW if holds(response.json()) else HIDDEN, how)


def _results(payload) -> list:
    return payload["results"] if isinstance(payload, dict) and "results" in payload else payload


def write(
    fingerprint: Callable[[], Any],
    send: Callable[[], Any],
    hidden_if: Callable[[Any], bool] | None = None,
    form: tuple[Any, str] | None = None,
) -> Seen:
    """Send a write in a rolled-back savepoint; ALLOW when the fingerprinted rows (or the audit trail) changed.

    `form` (client, url): the page showing the form or confirmation first, which must open exactly when the
    write is allowed, so that a refused user does not read through the form what they may not change."""
    with transaction.atomic():
        shown = form is not None and form[0].get(form[1]).status_code == 200
        before = (fingerprint(), AuditEntry.objects.count())
        method, url, response = send()
        after = (fingerprint(), AuditEntry.objects.count())
        transaction.set_rollback(True)
    how = _how(method, url, response)
    if form is not None and shown != (after != before):
        return Seen(f"form page {'opens' if shown else 'refused'}", f"GET {form[1]}; {how}")
    if after != before:
        return Seen(ALLOW, how)
    if (refusal := _refusal(response)) is not None:
        return Seen(refusal, how)
    if hidden_if is not None and hidden_if(response):
        return Seen(HIDDEN, how)
    # Anything else that changed nothing (a form error, a refusal message, 400) is a refused write.
    return Seen(DENY, how)


def _says_hidden_team(response) -> bool:
    return HIDDEN_TEAM in response.content.decode()


# --- team scorecard ---------------------------------------------------------------------------------


def scorecard_list_page(w: World, client) -> Seen:
    url = reverse("culture:scorecard_list") + f"?period={PERIOD}"
    return read_page(client, url, f'href="/culture/scorecards/teams/{w.team_a.slug}/')


def scorecard_list_api(w: World, api) -> Seen:
    url = f"/api/v1/scorecards/?period={PERIOD}"
    return read_api(api, url, lambda p: any(card["team"] == w.team_a.slug for card in _results(p)))


def scorecard_view_page(w: World, client) -> Seen:
    url = reverse("culture:team_scorecard", args=[w.team_a.slug]) + f"?period={PERIOD}"
    return read_page(client, url, w.team_a.name)


def scorecard_view_api(w: World, api) -> Seen:
    return read_api(api, f"/api/v1/scorecards/{w.team_a.slug}/?period={PERIOD}", lambda p: p["team"] == w.team_a.slug)


def scorecard_edit_page(w: World, client) -> Seen:
    url = reverse("culture:review_edit", args=[w.team_a.slug]) + f"?period={PERIOD}"
    reviews = Review.objects.filter(team=w.team_a)
    return write(
        lambda: list(reviews.values_list("period_id", "comment")),
        lambda: ("POST", url, client.post(url, {"comment": "A calm month."})),
        form=(client, url),
    )


def scorecard_export_page(w: World, client) -> Seen:
    return read_page(client, reverse("culture:scorecard_list") + f"?period={PERIOD}&_export=csv", w.team_a.name)


# --- measurement ------------------------------------------------------------------------------------


def _measurements(w: World):
    return lambda: sorted(Measurement.objects.filter(team=w.team_a).values_list("kpi_id", "date", "channel", "value"))


def measurement_list_page(w: World, client) -> Seen:
    return read_page(client, reverse("culture:measurement_list"), f"{w.measurement.value:f}")


def measurement_export_page(w: World, client) -> Seen:
    return read_page(client, reverse("culture:measurement_list") + "?_export=csv", f"{w.measurement.value:f}")


def _import(w: World, client, day: str, value: str, *, choose_locale: bool = False):
    """Upload a one-row file and confirm it: the web import is two requests (three when the reading
    settings are chosen on the preview: the wizard's options route)."""
    csv = f"team,kpi,date,value\n{w.team_a.slug},{MEASURED_KPI},{day},{value}\n".encode()
    url = reverse("culture:import_upload")
    upload = client.post(url, {"kind": "measurements", "file": SimpleUploadedFile("rows.csv", csv)})
    if upload.status_code != 302 or upload["Location"].startswith(LOGIN):
        return "POST", url, upload
    if choose_locale:
        options = upload["Location"] + "options/"
        chosen = client.post(options, {"decimal": ".", "date_order": "ymd", "encoding": "utf-8", "save_as": ""})
        if chosen.status_code != 302:
            return "POST", options, chosen
    confirm = upload["Location"] + "confirm/"
    return "POST", confirm, client.post(confirm)


def _bulk(api, w: World, day: str, value: str):
    url = "/api/v1/measurements/bulk/"
    row = {"team": w.team_a.slug, "kpi": MEASURED_KPI, "date": day, "value": value}
    return "POST", url, api.post(url, [row], format="json")


NEW_DAY = "2026-09-16"


def measurement_create_page(w: World, client) -> Seen:
    return write(_measurements(w), lambda: _import(w, client, NEW_DAY, "77", choose_locale=True), _says_hidden_team)


def measurement_create_api(w: World, api) -> Seen:
    return write(_measurements(w), lambda: _bulk(api, w, NEW_DAY, "77"), _says_hidden_team)


def survey_response_create_api(w: World, api) -> Seen:
    from culture.models import SurveyResponse

    url = "/api/v1/survey-responses/bulk/"
    row = {"team": w.team_a.slug, "survey": "nps", "date": NEW_DAY, "score": 9, "respondent": "acc-1", "comment": "ok"}

    def fingerprint():
        return SurveyResponse.objects.filter(team=w.team_a).count()

    return write(fingerprint, lambda: ("POST", url, api.post(url, [row], format="json")), _says_hidden_team)


def measurement_edit_page(w: World, client) -> Seen:
    return write(_measurements(w), lambda: _import(w, client, DAY.isoformat(), "1234.5"), _says_hidden_team)


def measurement_edit_api(w: World, api) -> Seen:
    return write(_measurements(w), lambda: _bulk(api, w, DAY.isoformat(), "1234.5"), _says_hidden_team)


# --- target -----------------------------------------------------------------------------------------


def _targets():
    return sorted(Target.objects.values_list("pk", "kpi_id", "team_id", "target_value"))


def _target_form(w: World, kpi_id: int, value: str) -> dict[str, Any]:
    return {
        "kpi": kpi_id,
        "period": PERIOD,
        "scope": "team",
        "team": w.team_a.pk,
        "department": "",
        "target_value": value,
        "on_track_from": "80",
        "off_track_from": "70",
        "weight": "1",
        "min_sample": "0",
    }


def target_list_page(w: World, client) -> Seen:
    return read_page(client, reverse("culture:target_list"), f"{w.target.target_value:f}")


def target_export_page(w: World, client) -> Seen:
    return read_page(client, reverse("culture:target_list") + "?_export=csv", f"{w.target.target_value:f}")


def target_create_page(w: World, client) -> Seen:
    from culture.models import Kpi

    url = reverse("culture:target_create")
    data = _target_form(w, Kpi.objects.get(code="nps").pk, "30")
    data.update(on_track_from="20", off_track_from="10")
    return write(_targets, lambda: ("POST", url, client.post(url, data)))


def target_edit_page(w: World, client) -> Seen:
    url = reverse("culture:target_update", args=[w.target.pk])
    data = _target_form(w, w.target.kpi_id, "88")
    return write(_targets, lambda: ("POST", url, client.post(url, data)), form=(client, url))


def target_delete_page(w: World, client) -> Seen:
    url = reverse("culture:target_delete", args=[w.target.pk])
    return write(_targets, lambda: ("POST", url, client.post(url)), form=(client, url))


# --- candidate --------------------------------------------------------------------------------------


def _candidates():
    return sorted(Candidate.objects.values_list("pk", "name", "email", "anonymised_at"))


def _has_candidate(w: World):
    return lambda payload: any(row["candidate"] == w.candidate.pk for row in _results(payload))


def candidate_list_page(w: World, client) -> Seen:
    return read_page(client, reverse("hiring:candidate_list"), w.candidate.name)


def candidate_list_api(w: World, api) -> Seen:
    return read_api(api, "/api/v1/hiring/applications/", _has_candidate(w))


def candidate_view_page(w: World, client) -> Seen:
    # The name: everyone who may view a candidate sees it; contact details are HR's (tests/hiring/test_bad_input).
    return read_page(client, reverse("hiring:candidate_detail", args=[w.candidate.pk]), w.candidate.name)


def candidate_view_api(w: World, api) -> Seen:
    url = f"/api/v1/hiring/applications/{w.application.pk}/"
    return read_api(api, url, lambda p: p["candidate"] == w.candidate.pk and p["candidate_name"] == w.candidate.name)


def _candidate_form(name: str, email: str) -> dict[str, Any]:
    return {"name": name, "email": email, "phone": "", "source": "referral", "has_consent": "on", "notes": ""}


def candidate_create_page(w: World, client) -> Seen:
    url = reverse("hiring:candidate_create")
    data = _candidate_form("Nora New", "nora@mail.example")
    return write(_candidates, lambda: ("POST", url, client.post(url, data)))


def candidate_edit_page(w: World, client) -> Seen:
    url = reverse("hiring:candidate_update", args=[w.candidate.pk])
    data = {**_candidate_form("Quinta Renamed", w.candidate.email), "retain_until": "2027-01-01"}
    return write(_candidates, lambda: ("POST", url, client.post(url, data)), form=(client, url))


def candidate_delete_page(w: World, client) -> Seen:
    url = reverse("hiring:candidate_erase", args=[w.candidate.pk])
    return write(_candidates, lambda: ("POST", url, client.post(url, {"confirm": "on"})), form=(client, url))


def candidate_merge_edit_page(w: World, client) -> Seen:
    """Fold the duplicate record into the candidate: its applications move, it is anonymised (audited)."""
    url = reverse("hiring:candidate_merge", args=[w.candidate.pk])

    def fingerprint():
        return Candidate.objects.filter(pk=w.candidate_twin.pk).values_list("anonymised_at", flat=True).first()

    data = {"duplicate": w.candidate_twin.pk, "confirm": "on"}
    return write(fingerprint, lambda: ("POST", url, client.post(url, data)), form=(client, url))


def candidate_export_page(w: World, client) -> Seen:
    return read_page(client, reverse("hiring:candidate_list") + "?_export=csv", w.candidate.name)


# --- interview scorecards (another panelist's, before and after the assigned interviewer's own) ---------


def _panel_card(w: World, state: str) -> Scorecard:
    return w.scorecard_before if state == "before" else w.scorecard_after


def interview_card_list_page(w: World, client, state: str) -> Seen:
    card = _panel_card(w, state)
    return read_page(client, reverse("hiring:application_detail", args=[card.interview.application_id]), card.summary)


def interview_card_list_api(w: World, api, state: str) -> Seen:
    card = _panel_card(w, state)
    return read_api(api, "/api/v1/hiring/scorecards/", lambda p: any(row["id"] == card.pk for row in _results(p)))


def interview_card_view_api(w: World, api, state: str) -> Seen:
    card = _panel_card(w, state)
    return read_api(api, f"/api/v1/hiring/scorecards/{card.pk}/", lambda p: p["summary"] == card.summary)


def _interview_cards(interview):
    return lambda: sorted(Scorecard.objects.filter(interview=interview).values_list("interviewer_id", "summary"))


def interview_card_create_page(w: World, client, state: str) -> Seen:
    interview = _panel_card(w, state).interview
    competency = interview.application.position.rubric_version.competencies.order_by("order").first()
    url = reverse("hiring:scorecard_create", args=[interview.pk])
    data = {
        "recommendation": "yes",
        "summary": "My own view.",
        f"rating_{competency.pk}": "3",
        f"evidence_{competency.pk}": "Listened well.",
    }
    return write(_interview_cards(interview), lambda: ("POST", url, client.post(url, data)), form=(client, url))


def interview_card_create_api(w: World, api, state: str) -> Seen:
    interview = _panel_card(w, state).interview
    competency = interview.application.position.rubric_version.competencies.order_by("order").first()
    url = "/api/v1/hiring/scorecards/"
    data = {
        "interview": interview.pk,
        "recommendation": "yes",
        "summary": "My own view.",
        "ratings": [{"competency": competency.pk, "rating": 3, "evidence": "Listened well."}],
    }
    return write(_interview_cards(interview), lambda: ("POST", url, api.post(url, data, format="json")))


# --- interviews (application 1's upcoming interview: the assigned interviewer and a panelist) ----------


def _interviews_of(w: World):
    rows = Interview.objects.filter(application=w.application)
    return lambda: sorted(rows.values_list("pk", "scheduled_at", "sequence", "cancelled_at"))


def _in_the_future(days: int) -> str:
    return timezone.localtime(timezone.now() + dt.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def interview_list_page(w: World, client) -> Seen:
    """The interviews list and My interviews: allowed when either lists the interview."""
    kit = reverse("hiring:interview_kit", args=[w.interview_upcoming.pk])
    return read_pages(client, [(reverse("hiring:interview_list"), kit), (reverse("hiring:my_interviews"), kit)])


def interview_list_api(w: World, api) -> Seen:
    pk = w.interview_upcoming.pk
    return read_api(api, "/api/v1/hiring/interviews/", lambda p: any(row["id"] == pk for row in _results(p)))


def interview_view_page(w: World, client) -> Seen:
    return read_page(client, reverse("hiring:interview_kit", args=[w.interview_upcoming.pk]), UPCOMING_TITLE)


def interview_view_api(w: World, api) -> Seen:
    pk = w.interview_upcoming.pk
    return read_api(api, f"/api/v1/hiring/interviews/{pk}/", lambda p: p["id"] == pk)


def interview_create_page(w: World, client) -> Seen:
    url = reverse("hiring:interview_create", args=[w.application.pk])
    data = {"title": "Matrix extra", "scheduled_at": _in_the_future(3), "interviewers": [w.users["interviewer"].pk]}
    return write(_interviews_of(w), lambda: ("POST", url, client.post(url, data)), form=(client, url))


def interview_edit_page(w: World, client) -> Seen:
    url = reverse("hiring:interview_reschedule", args=[w.interview_upcoming.pk])
    data = {"scheduled_at": _in_the_future(4), "reason": "Room taken"}
    return write(_interviews_of(w), lambda: ("POST", url, client.post(url, data)), form=(client, url))


def interview_delete_page(w: World, client) -> Seen:
    url = reverse("hiring:interview_cancel", args=[w.interview_upcoming.pk])
    return write(_interviews_of(w), lambda: ("POST", url, client.post(url, {"reason": "No room"})), form=(client, url))


def interview_export_page(w: World, client) -> Seen:
    """Both interview lists' CSV: allowed when either holds the interview's row."""
    return read_pages(
        client,
        [
            (reverse("hiring:interview_list") + "?_export=csv", UPCOMING_TITLE),
            (reverse("hiring:my_interviews") + "?_export=csv", UPCOMING_TITLE),
        ],
    )


# --- the hiring loop: debrief, hire, scorecard drafts ---------------------------------------------------


def debrief_view_page(w: World, client) -> Seen:
    card = w.scorecard_after
    return read_page(client, reverse("hiring:application_debrief", args=[card.interview.application_id]), card.summary)


def hire_create_page(w: World, client) -> Seen:
    from django.utils import timezone

    application_id = w.interview_after.application_id
    url = reverse("hiring:application_hire", args=[application_id])
    data = {
        "reason": "Accepted the offer.",
        "exception_reason": "Offer accepted on the spot after the panel.",
        "starts_on": timezone.localdate().isoformat(),
        "email": "new.hire@access.test",
        "employee_number": "E-ACC-HIRE",
    }

    def fingerprint():
        stage = Application.objects.filter(pk=application_id).values_list("stage", flat=True).first()
        return stage, _people(), _memberships(), HireReview.objects.count()

    return write(fingerprint, lambda: ("POST", url, client.post(url, data)), form=(client, url))


def scorecard_draft_create_page(w: World, client) -> Seen:
    interview = w.interview_before
    competency = interview.application.position.rubric_version.competencies.order_by("order").first()
    url = reverse("hiring:scorecard_create", args=[interview.pk])
    data = {"action": "draft", f"evidence_{competency.pk}": "Early notes."}

    def fingerprint():
        return list(ScorecardDraft.objects.filter(interview=interview).order_by("pk").values_list("interviewer_id"))

    return write(fingerprint, lambda: ("POST", url, client.post(url, data)), form=(client, url))


def hire_review_create_page(w: World, client) -> Seen:
    """The 90-day rating of a hire, due today: the team's lead or the position's hiring manager records it."""
    application = w.hire_review.application
    url = reverse("hiring:hirereview_create", args=[application.pk])
    competencies = application.position.rubric_version.competencies.all()
    data = {f"rating_{c.pk}": "4" for c in competencies} | {"comment": "Settled in."}

    def fingerprint():
        return HireReview.objects.filter(pk=w.hire_review.pk).values_list("reviewed_by_id", "reviewed_on").first()

    return write(fingerprint, lambda: ("POST", url, client.post(url, data)), form=(client, url))


# --- tracked review actions -------------------------------------------------------------------------


def review_action_view_page(w: World, client) -> Seen:
    return read_page(client, reverse("culture:action_detail", args=[w.review_action.pk]), REVIEW_ACTION_TEXT)


def review_action_edit_page(w: World, client) -> Seen:
    from culture.models import ReviewAction

    url = reverse("culture:action_detail", args=[w.review_action.pk])

    def fingerprint():
        return ReviewAction.objects.filter(pk=w.review_action.pk).values_list("status", flat=True).first()

    return write(fingerprint, lambda: ("POST", url, client.post(url)))


# --- recognition ----------------------------------------------------------------------------------------


def recognition_list_page(w: World, client) -> Seen:
    return read_page(client, reverse("culture:recognition_list"), RECOGNITION_TEXT)


def recognition_export_page(w: World, client) -> Seen:
    return read_page(client, reverse("culture:recognition_list") + "?_export=csv", RECOGNITION_TEXT)


def recognition_create_page(w: World, client) -> Seen:
    from culture.models import Recognition

    url = reverse("culture:recognition_create")
    data = {"person": w.colleague.pk, "value": "empathy", "story": "Called the customer back the same evening."}

    def fingerprint():
        return Recognition.objects.filter(person=w.colleague).count()

    def not_a_choice(response) -> bool:
        # The form opens for anyone signed in; a colleague of another team is not among its choices.
        return response.status_code == 200 and "Select a valid choice" in response.content.decode()

    return write(fingerprint, lambda: ("POST", url, client.post(url, data)), not_a_choice)


def recognition_edit_page(w: World, client) -> Seen:
    from culture.models import Recognition

    url = reverse("culture:recognition_pick", args=[w.recognition.pk])

    def fingerprint():
        return Recognition.objects.filter(pk=w.recognition.pk).values_list("is_board_pick", flat=True).first()

    return write(fingerprint, lambda: ("POST", url, client.post(url)), form=(client, url))


# --- payout lines (the employee's, in the approved run and in the draft run) ----------------------------


def _line(w: World, obj: str) -> PayoutLine:
    return w.line if obj == "payout_line" else w.draft_line


def read_pages(client, pages: list[tuple[str, str]]) -> Seen:
    """A list shown on several pages: ALLOW if any of them shows the object, else the first page's answer."""
    seen = [read_page(client, url, marker) for url, marker in pages]
    return next((s for s in seen if s.decision == ALLOW), seen[0])


def payout_list_page(w: World, client, obj: str) -> Seen:
    line = _line(w, obj)
    return read_pages(
        client,
        [
            (reverse("incentives:statement_list"), reverse("incentives:statement", args=[line.pk])),
            # The Reports page offers the user's statements as PDF buttons.
            (reverse("reports:report_request"), f'name="incentive_statement-line" value="{line.pk}"'),
        ],
    )


def payout_list_api(w: World, api, obj: str) -> Seen:
    line = _line(w, obj)
    return read_api(api, "/api/v1/payout-lines/", lambda p: any(row["id"] == line.pk for row in _results(p)))


def payout_view_page(w: World, client, obj: str) -> Seen:
    line = _line(w, obj)
    return read_page(client, reverse("incentives:statement", args=[line.pk]), line.person.name)


def payout_view_api(w: World, api, obj: str) -> Seen:
    line = _line(w, obj)
    return read_api(api, f"/api/v1/payout-lines/{line.pk}/", lambda p: p["id"] == line.pk)


def run_fingerprint(run_id: int):
    def fingerprint():
        run = PayoutRun.objects.filter(pk=run_id).values_list("status", "total", "line_count", "computed_at")
        lines = PayoutLine.objects.filter(run_id=run_id).values_list("pk", "person_id", "amount", "exact_amount")
        return list(run), sorted(lines)

    return fingerprint


def payout_edit_page(w: World, client, obj: str) -> Seen:
    """Recalculating the run is the only page that rewrites lines (a recalculation stamps the run anew)."""
    run_id = _line(w, obj).run_id
    url = reverse("incentives:run_recalculate", args=[run_id])
    return write(run_fingerprint(run_id), lambda: ("POST", url, client.post(url)))


def payout_delete_page(w: World, client, obj: str) -> Seen:
    """Discarding the line's run (asked first): a draft run can go, an approved one never."""
    run_id = _line(w, obj).run_id
    url = reverse("incentives:run_delete", args=[run_id])
    return write(run_fingerprint(run_id), lambda: ("POST", url, client.post(url)), form=(client, url))


def payout_export_page(w: World, client, obj: str) -> Seen:
    line = _line(w, obj)
    row = f"{line.run.plan.name},{line.run.plan.period.code},{line.person.name},{line.run.get_status_display()}"
    return read_page(client, reverse("incentives:statement_list") + "?_export=csv", row)


# --- questions about statements (disputes) ------------------------------------------------------------


def dispute_list_page(w: World, client) -> Seen:
    return read_page(client, reverse("incentives:dispute_list"), f'href="{w.dispute.get_absolute_url()}"')


def dispute_view_page(w: World, client) -> Seen:
    return read_page(client, w.dispute.get_absolute_url(), w.dispute.question)


def dispute_create_page(w: World, client) -> Seen:
    """Questioning the employee's statement (the form first)."""
    url = reverse("incentives:dispute_create", args=[w.line.pk])

    def fingerprint():
        return StatementDispute.objects.filter(line=w.line).count()

    return write(fingerprint, lambda: ("POST", url, client.post(url, {"question": "Probe?"})), form=(client, url))


def dispute_edit_page(w: World, client) -> Seen:
    """Answering the question (the compensation admin's write)."""
    url = reverse("incentives:dispute_answer", args=[w.dispute.pk])

    def fingerprint():
        return list(StatementDispute.objects.filter(pk=w.dispute.pk).values_list("status", "answer"))

    return write(fingerprint, lambda: ("POST", url, client.post(url, {"answer": "Probe."})), form=(client, url))


def dispute_export_page(w: World, client) -> Seen:
    return read_page(client, reverse("incentives:dispute_list") + "?_export=csv", f"#{w.dispute.pk}")


# --- approving the draft run and the CCO's adjustment (segregation of duties) ------------------------
def run_approval_view_page(w: World, client) -> Seen:
    url = reverse("incentives:run_approval", args=[w.draft_line.run_id])
    return read_page(client, url, "Distribution of line amounts")


def run_approval_edit_page(w: World, client) -> Seen:
    run_id = w.draft_line.run_id
    url = reverse("incentives:run_approve", args=[run_id])

    def fingerprint():
        return list(PayoutRun.objects.filter(pk=run_id).values_list("status", "approved_by_id", "approved_at"))

    return write(fingerprint, lambda: ("POST", url, client.post(url)))


def run_after_rule_change_edit_page(w: World, client) -> Seen:
    run_id = w.rule_change_run.pk
    url = reverse("incentives:run_approve", args=[run_id])

    def fingerprint():
        return list(PayoutRun.objects.filter(pk=run_id).values_list("status", "approved_by_id", "approved_at"))

    return write(fingerprint, lambda: ("POST", url, client.post(url)))


def run_return_edit_page(w: World, client) -> Seen:
    run_id = w.draft_line.run_id
    url = reverse("incentives:run_return", args=[run_id])

    def fingerprint():
        return list(PayoutRun.objects.filter(pk=run_id).values_list("approval_requested_at"))

    return write(fingerprint, lambda: ("POST", url, client.post(url, {"reason": "matrix probe"})), form=(client, url))


def adjustment_create_page(w: World, client) -> Seen:
    url = reverse("incentives:adjustment_create", args=[w.run.pk])
    data = {"person": w.line.person_id, "amount": "1.00", "reason_code": "other", "reason": "matrix probe"}

    def fingerprint():
        return list(Adjustment.objects.filter(run=w.run).values_list("pk", "amount"))

    return write(fingerprint, lambda: ("POST", url, client.post(url, data)), form=(client, url))


def adjustment_edit_page(w: World, client) -> Seen:
    url = reverse("incentives:adjustment_approve", args=[w.adjustment.pk])

    def fingerprint():
        return list(AdjustmentApproval.objects.filter(adjustment=w.adjustment).values_list("approved_by_id"))

    return write(fingerprint, lambda: ("POST", url, client.post(url)))


# --- board report -----------------------------------------------------------------------------------


def report_list_page(w: World, client) -> Seen:
    return read_page(client, reverse("reports:report_list"), f'href="{w.board_report.get_absolute_url()}"')


def report_view_page(w: World, client) -> Seen:
    return read_page(client, w.board_report.get_absolute_url(), "Board report")


def report_create_page(w: World, client) -> Seen:
    url = reverse("reports:report_request")
    data = {"kind": "board_report", "board_report-period": "2026-08"}
    return write(
        lambda: sorted(GeneratedReport.objects.values_list("pk", "kind", "parameters")),
        lambda: ("POST", url, client.post(url, data)),
    )


def report_export_page(w: World, client) -> Seen:
    return read_page(client, reverse("reports:report_download", args=[w.board_report.pk]), "%PDF")


# --- org management: departments, teams, the lead, merging; the people sync ---------------------------


def _departments():
    return sorted(Department.objects.values_list("pk", "name", "parent_id", "is_active"))


def _teams():
    return sorted(Team.objects.values_list("pk", "name", "department_id", "is_active"))


def _memberships():
    return sorted(Membership.objects.values_list("pk", "person_id", "team_id", "role", "start", "end"))


def _people():
    return sorted(Person.objects.values_list("pk", "employee_number", "name", "email", "is_active"))


ORG_DAY = "2026-10-01"  # after the world's open period: the dated org changes touch no closed one


def department_list_page(w: World, client) -> Seen:
    return read_page(client, reverse("culture:department_list"), w.team_a.department.name)


def department_export_page(w: World, client) -> Seen:
    return read_page(client, reverse("culture:department_list") + "?_export=csv", w.team_a.department.name)


def department_create_page(w: World, client) -> Seen:
    url = reverse("culture:department_create")
    return write(_departments, lambda: ("POST", url, client.post(url, {"name": "Dept New", "parent": ""})))


def department_edit_page(w: World, client) -> Seen:
    url = reverse("culture:department_update", args=[w.team_a.department.pk])
    data = {"name": "Dept Alpha Renamed", "parent": ""}
    return write(_departments, lambda: ("POST", url, client.post(url, data)), form=(client, url))


def department_delete_page(w: World, client) -> Seen:
    url = reverse("culture:department_close", args=[w.spare_department.pk])
    return write(_departments, lambda: ("POST", url, client.post(url)), form=(client, url))


def team_list_page(w: World, client) -> Seen:
    return read_page(client, reverse("culture:team_list"), f'href="{w.team_a.get_absolute_url()}"')


def team_list_api(w: World, api) -> Seen:
    return read_api(api, "/api/v1/teams/", lambda p: any(row["slug"] == w.team_a.slug for row in _results(p)))


def team_view_page(w: World, client) -> Seen:
    return read_page(client, reverse("culture:team_detail", args=[w.team_a.slug]), w.team_a.name)


def team_view_api(w: World, api) -> Seen:
    return read_api(api, f"/api/v1/teams/{w.team_a.slug}/", lambda p: p["slug"] == w.team_a.slug)


def team_export_page(w: World, client) -> Seen:
    return read_page(client, reverse("culture:team_list") + "?_export=csv", w.team_a.name)


def team_create_page(w: World, client) -> Seen:
    url = reverse("culture:team_create")
    data = {"name": "Team New", "department": w.team_a.department_id}
    return write(_teams, lambda: ("POST", url, client.post(url, data)))


def team_edit_page(w: World, client) -> Seen:
    url = reverse("culture:team_update", args=[w.team_a.slug])
    data = {"name": "Team Alpha Renamed", "department": w.team_a.department_id}
    return write(_teams, lambda: ("POST", url, client.post(url, data)), form=(client, url))


def team_delete_page(w: World, client) -> Seen:
    url = reverse("culture:team_close", args=[w.spare_team.slug])
    return write(_teams, lambda: ("POST", url, client.post(url, {"on": ORG_DAY})), form=(client, url))


def team_lead_edit_page(w: World, client) -> Seen:
    url = reverse("culture:team_lead", args=[w.team_a.slug])
    person = Person.objects.get(user=w.users["employee"])
    data = {"person": person.pk, "effective": ORG_DAY}
    return write(_memberships, lambda: ("POST", url, client.post(url, data)), form=(client, url))


def team_merge_edit_page(w: World, client) -> Seen:
    url = reverse("culture:team_merge", args=[w.team_a.slug])
    data = {"target": w.team_b.pk, "effective": ORG_DAY}
    fingerprint = lambda: (_teams(), _memberships())  # noqa: E731
    return write(fingerprint, lambda: ("POST", url, client.post(url, data)), form=(client, url))


SYNC_HEADER = "employee_id,name,email,department,team,role\n"
SYNC_JOINER = {"employee_id": "E-ACC-9", "name": "Jonas Joiner", "email": "jonas@access.test", "role": "member"}


def _sync_file(w: World) -> bytes:
    row = SYNC_JOINER
    line = f"{row['employee_id']},{row['name']},{row['email']},{w.team_a.department.name},{w.team_a.name},member\n"
    return (SYNC_HEADER + line).encode()


def _sync_upload(w: World, client):
    """Upload the one-joiner file: the preview's URL, or the refused response."""
    url = reverse("culture:people_sync")
    data = {"preset": "standard", "separator": "", "effective": "", "file": SimpleUploadedFile("hr.csv", _sync_file(w))}
    response = client.post(url, data)
    if response.status_code != 302 or response["Location"].startswith(LOGIN):
        return None, ("POST", url, response)
    return response["Location"], ("POST", url, response)


def people_sync_view_page(w: World, client) -> Seen:
    preview, (method, url, response) = _sync_upload(w, client)
    if preview is None:
        return Seen(_refusal(response) or DENY, _how(method, url, response))
    return read_page(client, preview, SYNC_JOINER["name"])


def _sync_body(w: World) -> dict[str, Any]:
    return {"people": [{**SYNC_JOINER, "department": w.team_a.department.name, "team": w.team_a.name}]}


def people_sync_view_api(w: World, api) -> Seen:
    url = "/api/v1/people/sync/preview/"
    response = api.post(url, _sync_body(w), format="json")
    how = _how("POST", url, response)
    if (refusal := _refusal(response)) is not None:
        return Seen(refusal, how)
    if response.status_code != 200:
        return Seen(f"unexpected {response.status_code}", how)
    holds = any(change["employee_id"] == SYNC_JOINER["employee_id"] for change in response.json()["changes"])
    return Seen(ALLOW if holds else HIDDEN, how)


def _sync_confirm(w: World, client):
    preview, sent = _sync_upload(w, client)
    if preview is None:
        return sent
    confirm = preview + "confirm/"
    return "POST", confirm, client.post(confirm)


def people_sync_edit_page(w: World, client) -> Seen:
    fingerprint = lambda: (_people(), _memberships())  # noqa: E731
    return write(fingerprint, lambda: _sync_confirm(w, client), form=(client, reverse("culture:people_sync")))


def people_sync_edit_api(w: World, api) -> Seen:
    url = "/api/v1/people/sync/apply/"
    fingerprint = lambda: (_people(), _memberships())  # noqa: E731
    return write(fingerprint, lambda: ("POST", url, api.post(url, _sync_body(w), format="json")))


# --- pulse surveys ------------------------------------------------------------------------------------


def pulse_list_page(w: World, client) -> Seen:
    return read_page(client, reverse("culture:pulse_list"), w.pulse.title)


def pulse_list_api(w: World, api) -> Seen:
    return read_api(api, "/api/v1/pulses/", lambda p: any(row["id"] == w.pulse.pk for row in _results(p)))


def pulse_view_page(w: World, client) -> Seen:
    return read_page(client, reverse("culture:pulse_detail", args=[w.pulse.pk]), w.pulse.title)


def pulse_view_api(w: World, api) -> Seen:
    return read_api(api, f"/api/v1/pulses/{w.pulse.pk}/", lambda p: p["id"] == w.pulse.pk)


def pulse_create_page(w: World, client) -> Seen:
    from culture.models import Pulse

    url = reverse("culture:pulse_create")
    data = {
        "title": "Matrix pulse",
        "library_version": w.pulse.library_version_id,
        "teams": [w.team_a.pk],
        "opens_on": "2026-10-01",
        "closes_on": "2026-10-10",
    }
    fingerprint = lambda: list(Pulse.objects.values_list("pk", flat=True))  # noqa: E731
    return write(fingerprint, lambda: ("POST", url, client.post(url, data)), form=(client, url))


def pulse_export_page(w: World, client) -> Seen:
    return read_page(client, reverse("culture:pulse_results") + "?_export=csv", w.team_a.name)


def pulse_export_api(w: World, api) -> Seen:
    url = f"/api/v1/pulses/{w.pulse.pk}/results/"
    return read_api(api, url, lambda p: any(row["group"] == w.team_a.name for row in p))


# --- the pulse question library -------------------------------------------------------------------------


def _library(w: World):
    return w.pulse.library_version  # version 1, published: every pulse of the world was sent with it


def pulse_library_list_page(w: World, client) -> Seen:
    return read_page(client, reverse("culture:pulse_library"), f'href="{_library(w).get_absolute_url()}"')


def pulse_library_view_page(w: World, client) -> Seen:
    return read_page(client, _library(w).get_absolute_url(), _library(w).questions.first().text)


def pulse_library_create_page(w: World, client) -> Seen:
    from culture.models import PulseLibraryVersion

    url = reverse("culture:pulse_library_copy", args=[_library(w).pk])
    fingerprint = lambda: list(PulseLibraryVersion.objects.values_list("pk", flat=True))  # noqa: E731
    return write(fingerprint, lambda: ("POST", url, client.post(url)))


def pulse_library_edit_page(w: World, client) -> Seen:
    """A draft copied by the CCO (rolled back afterwards), its first question reworded through the editor."""
    from culture.pulse.services import new_library_version

    with transaction.atomic():
        draft = new_library_version(actor=w.users["cco"], version=_library(w))
        questions = list(draft.questions.all())
        url = reverse("culture:pulse_library_edit", args=[draft.pk])
        data = {
            "questions-TOTAL_FORMS": str(len(questions)),
            "questions-INITIAL_FORMS": str(len(questions)),
            "questions-MIN_NUM_FORMS": "0",
            "questions-MAX_NUM_FORMS": "1000",
        }
        for n, question in enumerate(questions):
            data |= {
                f"questions-{n}-id": str(question.pk),
                f"questions-{n}-order": str(question.order),
                f"questions-{n}-key": question.key,
                f"questions-{n}-kind": question.kind,
                f"questions-{n}-text": "Reworded by the matrix" if n == 0 else question.text,
            }
        fingerprint = lambda: list(draft.questions.values_list("text", flat=True))  # noqa: E731
        seen = write(fingerprint, lambda: ("POST", url, client.post(url, data)), form=(client, url))
        transaction.set_rollback(True)
    return seen


def pulse_library_export_page(w: World, client) -> Seen:
    return read_page(client, reverse("culture:pulse_library") + "?_export=csv", "Published")


def _bind(probe, argument: str):
    return lambda w, client: probe(w, client, argument)


# --- the public verify page; reopening a closed period (asked by one executive, approved by another) -------

REOPEN_PERIOD = "2026-07"  # closed once for these probes; before the world's open period, with no data


def verify_view_page(w: World, client) -> Seen:
    return read_page(client, reverse("reports:verify"), 'name="code"')


def _closed_with_pending_request(w: World) -> str:
    """A closed period another executive has asked to reopen (kept for every probe; each write rolls back)."""
    from culture.models import PeriodClosing
    from culture.scorecards import close_period, request_reopen
    from tests.factories import UserFactory
    from users.roles import Role

    closing = PeriodClosing.objects.current().filter(period__code=REOPEN_PERIOD).first()
    if closing is None:
        asker = UserFactory(email="asker@access.test", roles=[Role.CCO])
        close_period(code=REOPEN_PERIOD, actor=w.users["cco"])
        request_reopen(code=REOPEN_PERIOD, actor=asker, reason="late vendor file")
    return reverse("culture:period_reopen", args=[REOPEN_PERIOD])


def _closings():
    from culture.models import PeriodClosing

    return sorted(PeriodClosing.objects.values_list("pk", "reopen_requested_by", "reopen_reason", "reopened_at"))


def reopen_view_page(w: World, client) -> Seen:
    return read_page(client, _closed_with_pending_request(w), "late vendor file")


def reopen_create_page(w: World, client) -> Seen:
    url = _closed_with_pending_request(w)
    return write(_closings, lambda: ("POST", url, client.post(url, {"action": "request", "reason": "a second ask"})))


def reopen_edit_page(w: World, client) -> Seen:
    url = _closed_with_pending_request(w)
    return write(_closings, lambda: ("POST", url, client.post(url, {"action": "approve"})))


# --- export job (an XLSX export of a large list, written by the worker) -------------------------------


def _workbook_holds(body: bytes, value) -> bool:
    sheet = load_workbook(io.BytesIO(body)).active
    return any(cell == value for row in sheet.iter_rows(values_only=True) for cell in row)


def _lead_a_job(w: World) -> str:
    """Lead A's finished export of the measurement list (the job runs in-process)."""
    return export_jobs.start_job(
        user_id=w.users["lead_a"].pk,
        path=reverse("culture:measurement_list"),
        query="_export=xlsx",
        filename="measurements.xlsx",
    )


def export_job_create_page(w: World, client) -> Seen:
    url = reverse("culture:measurement_list") + "?_export=xlsx"
    with override_settings(CENTRIC_EXPORT_XLSX_JOB_ROWS=0):
        response = client.get(url)
    how = _how("GET", url, response)
    if (refusal := _refusal(response)) is not None:
        return Seen(refusal, how)
    if response.status_code == 302 and response["Location"].startswith("/exports/"):
        response = client.get(response["Location"] + "download/")
        how += f"; GET {response.request['PATH_INFO']}: {response.status_code}"
    if response.status_code != 200 or response["Content-Type"] != XLSX_TYPE:
        return Seen(f"unexpected {response.status_code}", how)
    # A list without rows (lead B sees none of team A's) is no job: its empty workbook comes at once.
    return Seen(ALLOW if _workbook_holds(b"".join(response.streaming_content), w.measurement.value) else HIDDEN, how)


def export_job_view_page(w: World, client) -> Seen:
    job_id = _lead_a_job(w)
    return read_page(client, reverse("core:export_job", args=[job_id]), reverse("core:export_download", args=[job_id]))


def export_job_export_page(w: World, client) -> Seen:
    url = reverse("core:export_download", args=[_lead_a_job(w)])
    response = client.get(url)
    how = _how("GET", url, response)
    if (refusal := _refusal(response)) is not None:
        return Seen(refusal, how)
    if response.status_code != 200:
        return Seen(f"unexpected {response.status_code}", how)
    return Seen(ALLOW if _workbook_holds(b"".join(response.streaming_content), w.measurement.value) else HIDDEN, how)


PROBES: dict[tuple[str, str, str], Callable[[World, Any], Seen]] = {
    ("export_job", "create", "page"): export_job_create_page,
    ("export_job", "view", "page"): export_job_view_page,
    ("export_job", "export", "page"): export_job_export_page,
    ("team_scorecard", "list", "page"): scorecard_list_page,
    ("team_scorecard", "list", "api"): scorecard_list_api,
    ("team_scorecard", "view", "page"): scorecard_view_page,
    ("team_scorecard", "view", "api"): scorecard_view_api,
    ("team_scorecard", "edit", "page"): scorecard_edit_page,
    ("team_scorecard", "export", "page"): scorecard_export_page,
    ("measurement", "list", "page"): measurement_list_page,
    ("measurement", "create", "page"): measurement_create_page,
    ("measurement", "create", "api"): measurement_create_api,
    ("measurement", "edit", "page"): measurement_edit_page,
    ("measurement", "edit", "api"): measurement_edit_api,
    ("measurement", "export", "page"): measurement_export_page,
    ("target", "list", "page"): target_list_page,
    ("target", "create", "page"): target_create_page,
    ("target", "edit", "page"): target_edit_page,
    ("target", "delete", "page"): target_delete_page,
    ("target", "export", "page"): target_export_page,
    ("candidate", "list", "page"): candidate_list_page,
    ("candidate", "list", "api"): candidate_list_api,
    ("candidate", "view", "page"): candidate_view_page,
    ("candidate", "view", "api"): candidate_view_api,
    ("candidate", "create", "page"): candidate_create_page,
    ("candidate", "edit", "page"): candidate_edit_page,
    ("candidate", "delete", "page"): candidate_delete_page,
    ("candidate", "export", "page"): candidate_export_page,
    ("interview", "list", "page"): interview_list_page,
    ("interview", "list", "api"): interview_list_api,
    ("interview", "view", "page"): interview_view_page,
    ("interview", "view", "api"): interview_view_api,
    ("interview", "create", "page"): interview_create_page,
    ("interview", "edit", "page"): interview_edit_page,
    ("interview", "delete", "page"): interview_delete_page,
    ("interview", "export", "page"): interview_export_page,
    **{
        (f"interview_scorecard_{state}", action, surface): _bind(probe, state)
        for state in ("before", "after")
        for action, surface, probe in (
            ("list", "page", interview_card_list_page),
            ("list", "api", interview_card_list_api),
            ("view", "api", interview_card_view_api),
            ("create", "page", interview_card_create_page),
            ("create", "api", interview_card_create_api),
        )
    },
    **{
        (obj, action, surface): _bind(probe, obj)
        for obj in ("payout_line", "draft_payout_line")
        for action, surface, probe in (
            ("list", "page", payout_list_page),
            ("list", "api", payout_list_api),
            ("view", "page", payout_view_page),
            ("view", "api", payout_view_api),
            ("edit", "page", payout_edit_page),
            ("delete", "page", payout_delete_page),
            ("export", "page", payout_export_page),
        )
    },
    ("dispute", "list", "page"): dispute_list_page,
    ("dispute", "view", "page"): dispute_view_page,
    ("dispute", "create", "page"): dispute_create_page,
    ("dispute", "edit", "page"): dispute_edit_page,
    ("dispute", "export", "page"): dispute_export_page,
    ("report_verification", "view", "page"): verify_view_page,
    ("period_reopening", "view", "page"): reopen_view_page,
    ("period_reopening", "create", "page"): reopen_create_page,
    ("period_reopening", "edit", "page"): reopen_edit_page,
    ("run_approval", "view", "page"): run_approval_view_page,
    ("run_approval", "edit", "page"): run_approval_edit_page,
    ("run_return", "edit", "page"): run_return_edit_page,
    ("run_after_rule_change", "edit", "page"): run_after_rule_change_edit_page,
    ("adjustment", "create", "page"): adjustment_create_page,
    ("adjustment", "edit", "page"): adjustment_edit_page,
    ("board_report", "list", "page"): report_list_page,
    ("board_report", "view", "page"): report_view_page,
    ("board_report", "create", "page"): report_create_page,
    ("board_report", "export", "page"): report_export_page,
    ("department", "list", "page"): department_list_page,
    ("department", "create", "page"): department_create_page,
    ("department", "edit", "page"): department_edit_page,
    ("department", "delete", "page"): department_delete_page,
    ("department", "export", "page"): department_export_page,
    ("team", "list", "page"): team_list_page,
    ("team", "list", "api"): team_list_api,
    ("team", "view", "page"): team_view_page,
    ("team", "view", "api"): team_view_api,
    ("team", "create", "page"): team_create_page,
    ("team", "edit", "page"): team_edit_page,
    ("team", "delete", "page"): team_delete_page,
    ("team", "export", "page"): team_export_page,
    ("team_lead", "edit", "page"): team_lead_edit_page,
    ("team_merge", "edit", "page"): team_merge_edit_page,
    ("people_sync", "view", "page"): people_sync_view_page,
    ("people_sync", "view", "api"): people_sync_view_api,
    ("people_sync", "edit", "page"): people_sync_edit_page,
    ("people_sync", "edit", "api"): people_sync_edit_api,
    ("debrief", "view", "page"): debrief_view_page,
    ("hire", "create", "page"): hire_create_page,
    ("hire_review", "create", "page"): hire_review_create_page,
    ("candidate_merge", "edit", "page"): candidate_merge_edit_page,
    ("review_action", "view", "page"): review_action_view_page,
    ("review_action", "edit", "page"): review_action_edit_page,
    ("recognition", "list", "page"): recognition_list_page,
    ("recognition", "create", "page"): recognition_create_page,
    ("recognition", "edit", "page"): recognition_edit_page,
    ("recognition", "export", "page"): recognition_export_page,
    ("survey_response", "create", "api"): survey_response_create_api,
    ("scorecard_draft", "create", "page"): scorecard_draft_create_page,
    ("pulse", "list", "page"): pulse_list_page,
    ("pulse", "list", "api"): pulse_list_api,
    ("pulse", "view", "page"): pulse_view_page,
    ("pulse", "view", "api"): pulse_view_api,
    ("pulse", "create", "page"): pulse_create_page,
    ("pulse", "export", "page"): pulse_export_page,
    ("pulse", "export", "api"): pulse_export_api,
    ("pulse_library", "list", "page"): pulse_library_list_page,
    ("pulse_library", "view", "page"): pulse_library_view_page,
    ("pulse_library", "create", "page"): pulse_library_create_page,
    ("pulse_library", "edit", "page"): pulse_library_edit_page,
    ("pulse_library", "export", "page"): pulse_library_export_page,
}

# Where each object would live in the API, to check that an n/a API cell really has no operation:
# (collection path, item path, word); without either path no schema path may mention `word`.
API_RESOURCES: dict[str, tuple[str | None, str | None, str]] = {
    "team_scorecard": ("/api/v1/scorecards/", "/api/v1/scorecards/{slug}/", "scorecard"),
    "measurement": ("/api/v1/measurements/bulk/", None, "measurement"),
    "target": (None, None, "target"),
    "candidate": ("/api/v1/hiring/applications/", "/api/v1/hiring/applications/{id}/", "candidate"),
    "interview": ("/api/v1/hiring/interviews/", "/api/v1/hiring/interviews/{id}/", "interview"),
    "interview_scorecard_before": ("/api/v1/hiring/scorecards/", "/api/v1/hiring/scorecards/{id}/", "scorecard"),
    "interview_scorecard_after": ("/api/v1/hiring/scorecards/", "/api/v1/hiring/scorecards/{id}/", "scorecard"),
    "payout_line": ("/api/v1/payout-lines/", "/api/v1/payout-lines/{id}/", "payout-line"),
    "draft_payout_line": ("/api/v1/payout-lines/", "/api/v1/payout-lines/{id}/", "payout-line"),
    "board_report": (None, None, "report"),
    "dispute": (None, None, "question"),
    "department": (None, None, "department"),
    "team": ("/api/v1/teams/", "/api/v1/teams/{slug}/", "team"),
    "team_lead": (None, None, "lead"),
    "team_merge": (None, None, "merge"),
    "review_action": (None, None, "review-action"),
    "recognition": (None, None, "recognition"),
    "survey_response": ("/api/v1/survey-responses/bulk/", None, "survey-response"),
    "export_job": (None, None, "export"),
    # preview is a POST that reads (the view cell); apply is the write (the edit cell).
    "people_sync": (None, "/api/v1/people/sync/apply/", "people"),
    "debrief": (None, None, "debrief"),
    "hire": (None, None, "/hire"),
    "scorecard_draft": (None, None, "draft"),
    "report_verification": (None, None, "verif"),
    "period_reopening": (None, None, "reopen"),
    "run_approval": (None, None, "approval"),
    "adjustment": (None, None, "adjustment"),
    "run_return": (None, None, "return"),
    "run_after_rule_change": (None, None, "approv"),
    "pulse": ("/api/v1/pulses/", "/api/v1/pulses/{id}/", "pulse"),
    "pulse_library": (None, None, "library"),
    "hire_review": (None, None, "hire-review"),
    "candidate_merge": (None, None, "merge"),
}
NA_METHODS = {"list": "get", "view": "get", "create": "post", "edit": "patch", "delete": "delete"}


def _item_url(w: World, obj: str) -> str | None:
    _collection, item, _word = API_RESOURCES[obj]
    if item is None:
        return None
    key = {
        "team_scorecard": w.team_a.slug,
        "team": w.team_a.slug,
        "people_sync": "",
        "candidate": w.application.pk,
        "interview": w.interview_upcoming.pk,
        "interview_scorecard_before": w.scorecard_before.pk,
        "interview_scorecard_after": w.scorecard_after.pk,
        "payout_line": w.line.pk,
        "draft_payout_line": w.draft_line.pk,
        "pulse": w.pulse.pk,
    }[obj]
    return item.replace("{slug}", str(key)).replace("{id}", str(key))


def na_api_operations(schema: dict, obj: str, action: str) -> list[str]:
    """The operations in the schema that would make an n/a API cell exist; empty when it truly is n/a."""
    collection, item, word = API_RESOURCES[obj]
    paths = schema["paths"]
    if action == "export":
        return [p for p in paths if "export" in p or "csv" in p]
    if collection is None and item is None:
        return [p for p in paths if word in p]
    wanted = {
        "list": [(collection, "get")],
        "view": [(item, "get")],
        "create": [(collection, "post")],
        "edit": [(item, "put"), (item, "patch")],
        "delete": [(item, "delete")],
    }[action]
    return [f"{method.upper()} {path}" for path, method in wanted if path and method in paths.get(path, {})]


def na_api_request(w: World, api, obj: str, action: str) -> Seen | None:
    """Send the request an n/a API cell stands for, as the role: it must be refused and change nothing."""
    collection, _item, _word = API_RESOURCES[obj]
    url = collection if action in ("list", "create") else _item_url(w, obj)
    if url is None or action == "export":
        return None
    method = NA_METHODS[action]
    with transaction.atomic():
        response = getattr(api, method)(url, {}, format="json")
        transaction.set_rollback(True)
    how = _how(method.upper(), url, response)
    return Seen("exists" if response.status_code < 400 else "refused", how)


def schema_of(client) -> dict:
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200, response.status_code
    return json.loads(response.content)
