"""Journey 3 in a real browser: a case, a session, a recording, a rating with time stamps."""

import pytest

from tests.browser.test_journeys import sign_in
from tests.factories import TONE

pytestmark = pytest.mark.browser


def test_trainee_uploads_and_supervisor_rates_with_time_stamps(live_server, browser, page):
    sign_in(page, live_server, "trainee@demo.example")
    page.get_by_role("link", name="Cases", exact=True).click()
    page.get_by_role("link", name="Register a case").click()
    page.get_by_label("Client code").fill("C-2207")
    page.get_by_label("Planned sessions").fill("12")
    page.get_by_role("button", name="Register the case").click()
    page.get_by_role("heading", level=1, name="Case C-2207").wait_for()
    page.get_by_role("link", name="Log a session").click()
    page.get_by_label("Date").fill("2026-11-02")
    page.get_by_label("Phase").select_option("initial")
    page.get_by_label("PHQ-9 total (0–27)").fill("14")
    page.get_by_role("button", name="Save the session").click()
    page.get_by_label("Recording (audio or video)").set_input_files(str(TONE))
    page.get_by_label("I confirm the client consented").check()
    page.get_by_role("button", name="Upload the recording").click()
    page.get_by_text("Recording uploaded").wait_for()

    supervisor = browser.new_context().new_page()
    sign_in(supervisor, live_server, "supervisor@demo.example")
    supervisor.get_by_role("link", name="To rate", exact=True).click()
    supervisor.get_by_role("link", name="Rate session 1 of C-2207").click()
    supervisor.locator("#player").evaluate("p => { p.currentTime = 1.2; }")
    supervisor.get_by_role("button", name="Comment at the player's current time").click()
    assert supervisor.locator("input[name=comment_at]").first.input_value() == "00:01"
    supervisor.locator("input[name=comment_text]").first.fill("Clear link of mood and events")
    for select in supervisor.locator("select[id^=item-]").all():
        select.select_option("4")
    supervisor.get_by_label("Global rating").select_option("4")
    supervisor.get_by_role("button", name="Submit rating (final)").click()
    supervisor.get_by_text("competent", exact=True).wait_for()
    supervisor.context.close()

    page.goto(f"{live_server}/trainee")
    page.get_by_role("link", name="rated session 1 of case C-2207").first.click()
    page.get_by_role("link", name="00:01").click()
    assert "Clear link of mood and events" in page.content()
