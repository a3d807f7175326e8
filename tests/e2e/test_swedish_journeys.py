"""The Swedish journey: a lead whose language is Swedish imports the Swedish Excel CSV (Windows-1252,
semicolons, decimal commas, a space between thousands) through the wizard, reviews the period and downloads
the team scorecard PDF in Swedish.

The pages are found by URL, form field names and roles, never by English labels: the Swedish catalogue
translates those labels. What must be Swedish is checked where it cannot depend on the catalogue being
written: `<html lang="sv">`, allauth's own Swedish ("Logga ut"), Babel's Swedish numbers ("1 291 s",
"61,0 %") and the PDF's language.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from culture.models import Measurement, Review
from tests.culture.scorecard_helpers import period, target
from tests.factories import MembershipFactory, PersonFactory, TeamFactory, UserFactory
from users.roles import Role

from .conftest import assert_accessible, log_in, screenshot
from .journey_helpers import enrol_totp

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "imports" / "swedish-excel-cp1252.csv"


def _plain(text: str) -> str:
    """Babel writes a no-break space between thousands and before units; compare with plain spaces."""
    return re.sub(r"[\u00a0\u202f]", " ", text)


@pytest.fixture
def swedish_lead(settings):
    """A lead of both teams in the fixture, language Swedish, with an authenticator app; November's targets."""
    settings.TIME_ZONE = "Europe/Stockholm"  # the company's time zone: 23:30Z on 3 November is 4 November
    malmo = TeamFactory(name="Kundtjänst Malmö", slug="kundtjanst-malmo")
    goteborg = TeamFactory(name="Återförsäljare Göteborg", slug="aterforsaljare-goteborg")
    user = UserFactory(email="lead.sv@example.com", roles=[Role.LEAD], language="sv")
    person = PersonFactory(user=user, name="Karin Lind")
    for team in (malmo, goteborg):
        MembershipFactory(person=person, team=team, role="lead")
    november = period("2026-11")
    target("fcr", november, 60, 55, 50)  # higher is better: 61.0 % is on track
    target("aht", november, 400, 420, 450)  # lower is better: 402.5 s is on track, 1 290.75 s off track
    return user, malmo, goteborg


def test_swedish_lead_imports_excel_csv_reviews_and_downloads_the_scorecard(page, swedish_lead):
    user, malmo, goteborg = swedish_lead
    secret = enrol_totp(user)
    log_in(page, user.email, totp_secret=secret)
    assert page.locator("html").get_attribute("lang") == "sv"
    # allauth's own Swedish catalogue (shipped with the package, not ours) labels the header's button.
    assert page.get_by_role("button", name="Logga ut").count() == 1

    # Upload: nothing chosen, so the wizard proposes the locale from the file and shows its evidence.
    page.goto("/culture/imports/new/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert_accessible(page)
    page.locator("input[name=kind][value=measurements]").check()
    page.locator("input[name=file]").set_input_files(
        {"name": "styrkort-november.csv", "mimeType": "text/csv", "buffer": FIXTURE.read_bytes()}
    )
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    page.wait_for_url("**/culture/imports/check/**")
    evidence = page.locator("section[aria-labelledby=reading-heading] li").all_inner_texts()
    assert len(evidence) == 3
    assert "Windows-1252" in evidence[0] and "(byte 28 är 0xe4)" in evidence[0]  # the ä of "Värde"
    assert "','" in evidence[1] and "4" in evidence[1]  # four values with a decimal comma
    assert page.get_by_role("alert").count() == 0
    assert "5" in page.get_by_role("status").inner_text()  # all five rows are valid
    assert Measurement.objects.count() == 0  # nothing is written before the confirmation
    screenshot(page, "sv-import-preview")
    assert_accessible(page)

    # Confirm: the figures are stored exactly as the file means them (by hand: 402,5 -> 402.5;
    # "1 290,75" -> 1290.75; "12 345,60" -> 12345.60; 0,5 -> 0.5; 23:30Z on 3 Nov is 4 Nov in Stockholm).
    page.locator("form[action$='/confirm/'] button[type=submit]").click()
    page.wait_for_url("**/culture/imports/")
    stored = sorted(
        Measurement.objects.values_list(
            "team__slug", "kpi__code", "date", "channel", "value", "numerator", "denominator", "sample_size"
        )
    )
    nov2, nov3, nov4 = dt.date(2026, 11, 2), dt.date(2026, 11, 3), dt.date(2026, 11, 4)
    assert stored == [
        ("aterforsaljare-goteborg", "aht", nov2, "phone", Decimal("1290.75"), None, None, 15),
        ("aterforsaljare-goteborg", "cost_per_contact", nov3, "email", None, Decimal("12345.60"), Decimal(310), None),
        ("aterforsaljare-goteborg", "fcr", nov4, "all", None, Decimal("0.5"), Decimal(2), None),
        ("kundtjanst-malmo", "aht", nov2, "all", Decimal("402.5"), None, None, 120),
        ("kundtjanst-malmo", "fcr", nov2, "all", None, Decimal(610), Decimal(1000), None),
    ]
    assert "styrkort-november.csv" in page.locator("table").first.inner_text()
    assert_accessible(page)

    # The period on the scorecards, in Swedish numbers: FCR 100 x 610 / 1000 = 61,0 %; AHT 1 290,75 s
    # shown with no decimals as 1 291 s (half up), a space between thousands.
    page.goto(f"/culture/scorecards/teams/{malmo.slug}/?period=2026-11")
    assert page.locator("html").get_attribute("lang") == "sv"
    malmo_text = _plain(page.locator("main").inner_text())
    assert "61,0 %" in malmo_text or "61,0%" in malmo_text
    assert "61.0" not in malmo_text
    assert_accessible(page)
    page.goto(f"/culture/scorecards/teams/{goteborg.slug}/?period=2026-11")
    goteborg_text = _plain(page.locator("main").inner_text())
    assert "1 291 s" in goteborg_text
    assert "1,291" not in goteborg_text
    assert_accessible(page)

    # The review of the period: Malmö is on track everywhere, so a comment is all it takes.
    page.goto(f"/culture/scorecards/teams/{malmo.slug}/review/?period=2026-11")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert_accessible(page)
    page.locator("textarea[name=comment]").fill("En bra månad: kortare samtal och fler ärenden lösta direkt.")
    page.locator("main form[method=post] button[type=submit]").last.click()
    page.wait_for_url(re.compile(rf".*/culture/scorecards/teams/{malmo.slug}/\?period=2026-11$"))
    review = Review.objects.get(team=malmo, period__code="2026-11")
    assert review.comment.startswith("En bra månad")
    screenshot(page, "sv-scorecard-reviewed")

    # The team scorecard PDF, built in the reader's language: Swedish (the PDF's /Lang is sv).
    page.locator("form[action$='/reports/request/'] button[type=submit]").first.click()
    page.wait_for_url("**/reports/*/")
    assert page.locator("html").get_attribute("lang") == "sv"
    download = page.locator("#report-progress a[href$='/download/']")
    download.wait_for(state="visible")
    assert_accessible(page)
    with page.expect_download() as download_info:
        download.click()
    content = Path(download_info.value.path()).read_bytes()
    assert content.startswith(b"%PDF-")
    pdf = PdfReader(io.BytesIO(content))
    assert pdf.trailer["/Root"]["/Lang"] == "sv"
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in pdf.pages))
    assert "Kundtjänst Malmö" in text and "2026-11" in text
    assert "En bra månad" in text  # the lead's review, with its å, printed
    assert page.console_errors == []
