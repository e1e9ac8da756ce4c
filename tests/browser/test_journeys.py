"""Journeys 1 and 2 in a real browser: pass a module's check; work a vignette across a reload."""

from pathlib import Path

import pytest
import yaml

from tests.browser.conftest import DEMO_PASSWORD
from trainer.scoring.engine import expert_key

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", level=1).first.wait_for()


def test_trainee_studies_a_module_and_passes_its_check(live_server, page):
    module = yaml.safe_load((ROOT / "curriculum/ipt-foundations/module.yaml").read_text())
    sign_in(page, live_server, "trainee2@demo.example")
    page.get_by_role("link", name="Modules", exact=True).click()
    page.get_by_role("link", name=module["title"]).click()
    page.get_by_role("link", name=module["sections"][0]["title"]).click()
    page.get_by_role("heading", level=1, name=module["sections"][0]["title"]).wait_for()
    page.get_by_role("link", name=module["title"]).click()
    page.get_by_role("link", name="Take the knowledge check").click()
    questions = {q["id"]: q for q in module["check"]["questions"]}
    fieldsets = page.locator("fieldset.question")
    assert fieldsets.count() == module["check"].get("ask", len(questions))  # the draw
    for index in range(fieldsets.count()):
        fieldset = fieldsets.nth(index)
        question = questions[fieldset.get_attribute("id").removeprefix("question-")]
        for option in question["options"]:
            if option["correct"]:
                fieldset.get_by_label(option["label"], exact=True).check()
    page.get_by_role("button", name="Submit my answers").click()
    page.get_by_text("100.0%").first.wait_for()
    page.get_by_role("link", name="Back to the modules").click()
    assert "passed" in page.locator("tr", has_text=module["title"]).inner_text()


def test_trainee_works_a_vignette_across_a_reload_and_reads_the_feedback(live_server, page):
    vignette = yaml.safe_load((ROOT / "vignettes/role-transition-retirement-older-adult.yaml")
                              .read_text())
    sign_in(page, live_server, "trainee2@demo.example")
    page.get_by_role("link", name="Vignettes", exact=True).click()
    page.get_by_role("link", name=vignette["title"]).click()
    page.get_by_role("button", name="Start the case").click()
    first = vignette["stages"][0]
    first_label = next(o["label"] for o in first["options"] if o["id"] in expert_key(first))
    page.get_by_label(first_label, exact=True).check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_text("stage 2 of").wait_for()
    page.reload()
    page.get_by_role("link", name="Back to stage 1").click()
    assert page.get_by_label(first_label, exact=True).is_checked()
    page.get_by_text("Your answer to this stage is locked").wait_for()  # stage 2 was read
    page.get_by_role("link", name="Continue to stage 2").click()
    for stage in vignette["stages"][1:]:
        if stage["kind"] == "text":
            page.get_by_label("Your answer").fill("My answer for this stage.")
        else:
            keys = expert_key(stage)
            keys = keys[:1] if stage["kind"] == "single" else keys
            for option in stage["options"]:
                if option["id"] in keys:
                    page.get_by_label(option["label"], exact=True).check()
        page.get_by_role("button", name="Save and").click()
    page.get_by_role("button", name="Submit for scoring").click()
    page.get_by_role("heading", level=1, name="Your result").wait_for()
    assert "Expert formulation" in page.content()
    rationale = vignette["stages"][0]["options"][0]["feedback"].split(".")[0]
    assert rationale in page.content()
