"""Browser tests: Debian's chromium driven by Playwright against the live test server.

Screenshots land in test-artifacts/e2e/. Every page a journey visits can be checked with axe-core
(the npm package, injected from node_modules) for serious or critical accessibility violations.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def browser(_django_db_helper):
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "install Debian's chromium: make test does (apt-get install chromium)"
    # Playwright's sync API keeps an event loop in this thread while the browser lives; the ORM calls a
    # journey and its database fixtures make are synchronous, so Django's async guard is lifted meanwhile.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _record_console_error(page, message) -> None:
    # The URL tells an expected failure (a 404 the journey asks for) from a broken page.
    if message.type == "error":
        page.console_errors.append(f"{message.text} [{message.location.get('url', '')}]")


@pytest.fixture
def open_page(browser, live_server, request):
    """Opens a page in a fresh browser context: its own cookies, so two people can be logged in side by side."""
    opened = []

    def _open(*, bypass_csp: bool = True):
        # bypass_csp lets axe-core be injected; the pages themselves still send their CSP. A journey that must
        # prove the policy lets it through (a redirect to an identity provider) opens a page that obeys it.
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1300, "height": 900}, bypass_csp=bypass_csp
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda msg: _record_console_error(page, msg))
        opened.append(page)
        return page

    yield _open
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", request.node.name)
    for number, page in enumerate(opened):
        suffix = "" if number == 0 else f"-{number + 1}"
        page.screenshot(path=ARTIFACTS / f"{name}{suffix}-last.png", full_page=True)
        page.context.close()


@pytest.fixture
def page(open_page):
    return open_page()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path


def totp_code(secret: str) -> str:
    """The current TOTP code for a secret, as an authenticator app shows it.

    allauth accepts only the current 30-second step, so a code about to expire is not handed out.
    """
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    if 30 - time.time() % 30 < 2:
        time.sleep(2)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def enrol_totp(user) -> str:
    """Give a user a confirmed TOTP authenticator, as if they had enrolled; returns its secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def log_in(page, email: str, password: str = "pw-for-tests-1", totp_secret: str | None = None) -> None:
    """Log in through allauth's form; with a TOTP secret, also pass the second step with a fresh code."""
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    if totp_secret is not None:
        page.wait_for_url("**/accounts/2fa/authenticate/")
        assert_accessible(page)
        page.fill("input[name=code]", totp_code(totp_secret))
        screenshot(page, "login-second-factor")
        page.click("button[type=submit]")
        page.wait_for_load_state()
        assert "/accounts/" not in page.url, f"the second factor was refused: {page.url}"


def inject_axe(page, attempts: int = 3) -> None:
    """Add axe-core to the page once the page has loaded.

    A click that navigates returns before the new document exists; injecting then fails with
    "Cannot read properties of null" because the old document is being torn down (seen once in CI).
    Waiting for the load and trying again on that error makes the check read the page that was
    navigated to.
    """
    for attempt in range(attempts):
        page.wait_for_load_state("load")
        try:
            page.add_script_tag(path=str(AXE))
            return
        except PlaywrightError as error:
            if "appendChild" not in str(error) or attempt == attempts - 1:
                raise
            page.wait_for_timeout(200)


def serious_accessibility_violations(page) -> list[dict]:
    """axe-core's violations of impact serious or critical on the current page."""
    inject_axe(page)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def assert_accessible(page) -> None:
    violations = serious_accessibility_violations(page)
    assert violations == [], f"{page.url}: {violations}"
