"""Names in charts stay text in a real browser (issue 19, finding 11): Plotly reads a small
HTML dialect in labels, so a trainee named with a link became a live link in the heatmap."""

import pytest

from tests.browser.conftest import DEMO_PASSWORD, invite_and_join

pytestmark = pytest.mark.browser

LINK_NAME = '<a href="https://evil.example/">Eve</a>'


def sign_in(page, live_server, email):
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_trainee_named_with_a_link_is_plain_text_in_the_heatmap(live_server, browser, page):
    sign_in(page, live_server, "admin@demo.example")
    invite_and_join(page, browser, "eve.link@demo.example", LINK_NAME)

    page.goto(f"{live_server}/competency/cohort")
    page.locator("#chart-heatmap .ytick text").first.wait_for()
    labels = page.locator("#chart-heatmap .ytick text").all_text_contents()
    assert LINK_NAME in labels
    assert page.locator("#chart-heatmap a").count() == 0
