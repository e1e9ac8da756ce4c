"""Names in charts stay text in a real browser (issue 19, finding 11): Plotly reads a small
HTML dialect in labels, so a trainee named with a link became a live link in the heatmap."""

import pytest

from tests.browser.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser

LINK_NAME = '<a href="https://evil.example/">Eve</a>'


def sign_in(page, live_server, email):
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_trainee_named_with_a_link_is_plain_text_in_the_heatmap(live_server, browser, page):
    sign_in(page, live_server, "admin@demo.example")
    page.get_by_role("link", name="People", exact=True).click()
    page.get_by_label("E-mail").fill("eve.link@demo.example")
    page.get_by_label("Role").select_option("trainee")
    page.get_by_role("button", name="Create invitation link").click()
    link = page.locator(".invite-link").inner_text().strip()
    eve = browser.new_context().new_page()
    eve.goto(link)
    eve.get_by_label("Your full name").fill(LINK_NAME)
    eve.get_by_label("Choose a password").fill("maple-orbit-sandstone-31")
    eve.get_by_label("Repeat the password").fill("maple-orbit-sandstone-31")
    eve.get_by_role("button", name="Create my account and join").click()
    eve.get_by_role("heading", level=1, name="My training").wait_for()
    eve.context.close()

    page.goto(f"{live_server}/competency/cohort")
    page.locator("#chart-heatmap .ytick text").first.wait_for()
    labels = page.locator("#chart-heatmap .ytick text").all_text_contents()
    assert LINK_NAME in labels
    assert page.locator("#chart-heatmap a").count() == 0
