"""Real-browser smoke test: each demo role signs in through the form and sees its home."""

import pytest

from tests.browser.conftest import DEMO_PASSWORD, invite_and_join

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("email, heading", [
    ("trainee@demo.example", "My training"),
    ("supervisor@demo.example", "My trainees"),
    ("admin@demo.example", "Demo IPT Training Institute"),
])
def test_each_demo_role_signs_in_and_sees_its_home(live_server, page, email, heading):
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", level=1, name=heading).wait_for()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", level=1, name="Sign in").wait_for()


def test_admin_invites_a_trainee_who_joins_in_another_browser(live_server, browser, page):
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill("admin@demo.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    invite_and_join(page, browser, "newcomer@demo.example", "Nora Newcomer")
