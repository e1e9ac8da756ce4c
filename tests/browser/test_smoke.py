"""Real-browser smoke test: each demo role signs in through the form and sees its home."""

import pytest

from tests.browser.conftest import DEMO_PASSWORD

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
    page.get_by_role("link", name="People", exact=True).click()
    page.get_by_label("E-mail").fill("newcomer@demo.example")
    page.get_by_label("Role").select_option("trainee")
    page.get_by_role("button", name="Create invitation link").click()
    link = page.locator(".invite-link").inner_text().strip()
    newcomer = browser.new_context().new_page()
    newcomer.goto(link)
    newcomer.get_by_label("Your full name").fill("Nora Newcomer")
    newcomer.get_by_label("Choose a password").fill("maple-orbit-sandstone-31")
    newcomer.get_by_label("Repeat the password").fill("maple-orbit-sandstone-31")
    newcomer.get_by_role("button", name="Create my account and join").click()
    newcomer.get_by_role("heading", level=1, name="My training").wait_for()
    newcomer.context.close()
