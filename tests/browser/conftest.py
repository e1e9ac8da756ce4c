"""A live server on 127.0.0.1 and a Playwright-driven Debian Chromium.

Without /usr/bin/chromium the browser tests skip, unless REQUIRE_BROWSER=1 (CI), where a
missing browser is a failure.
"""

import os
import threading
from pathlib import Path

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from trainer import create_app
from trainer.extensions import db

CHROMIUM = "/usr/bin/chromium"
DEMO_PASSWORD = "harbour-lantern-violet-58"  # noqa: S105
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _require_browser() -> None:
    if Path(CHROMIUM).exists():
        return
    message = f"{CHROMIUM} is missing (apt-get install chromium)"
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app with the demo data, served on a free loopback port in a thread."""
    _require_browser()
    folder = tmp_path_factory.mktemp("live")
    app = create_app({"TESTING": False, "SQLALCHEMY_DATABASE_URI":
                      f"sqlite:///{folder / 'live.db'}", "SECRET_KEY": "live-test-key",
                      "RECORDINGS_PATH": str(folder / "recordings"),
                      "PASSWORD_HASH_TIME_COST": 1, "PASSWORD_HASH_MEMORY_KIB": 8,
                      "PASSWORD_HASH_PARALLELISM": 1})
    with app.app_context():
        upgrade(directory=str(Path(__file__).resolve().parents[2] / "migrations"))
    result = app.test_cli_runner().invoke(args=["demo", "--password", DEMO_PASSWORD])
    assert result.exit_code == 0, result.output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    """A fresh browser context per test; a screenshot is kept when the test fails."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report


def invite_and_join(page, browser, email: str, name: str) -> None:
    """From an admin's signed-in page: invite `email` as a trainee, and accept the link in
    a second browser as `name`, arriving on the trainee home."""
    page.get_by_role("link", name="People", exact=True).click()
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Role").select_option("trainee")
    page.get_by_role("button", name="Create invitation link").click()
    link = page.locator(".invite-link").inner_text().strip()
    newcomer = browser.new_context().new_page()
    newcomer.goto(link)
    newcomer.get_by_label("Your full name").fill(name)
    newcomer.get_by_label("Choose a password").fill("maple-orbit-sandstone-31")
    newcomer.get_by_label("Repeat the password").fill("maple-orbit-sandstone-31")
    newcomer.get_by_role("button", name="Create my account and join").click()
    newcomer.get_by_role("heading", level=1, name="My training").wait_for()
    newcomer.context.close()
