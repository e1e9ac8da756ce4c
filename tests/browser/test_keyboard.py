"""A vignette worked with the keyboard alone: Tab and Shift+Tab to move, arrow keys inside a
radio group, Space to tick, typing for written answers, Enter to follow links and submit; the
focused control is visibly marked."""

from pathlib import Path

import pytest
import yaml

from tests.browser.test_journeys import sign_in
from trainer.scoring.engine import expert_key

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
# Single choice, multiple choice, a written answer, single choice; no other browser test
# works this vignette, and Theo Trainee (trainee2) is not the trainee of journeys 3 and 4.
VIGNETTE = yaml.safe_load((ROOT / "vignettes/grief-brother-overdose-remote.yaml").read_text())
MAX_TABS = 150

FOCUSED = """() => {
  const e = document.activeElement;
  const label = e.labels && e.labels.length ? e.labels[0].innerText : '';
  return {tag: e.tagName.toLowerCase(), type: e.type || '', label: label.trim(),
          text: (e.innerText || '').trim(), checked: !!e.checked};
}"""
# The app's own focus ring, not the browser's 1px default: an outline of 2px or more, or a
# box shadow, on an element the browser treats as keyboard-focused.
FOCUS_VISIBLE = """() => {
  const s = getComputedStyle(document.activeElement);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  return document.activeElement.matches(':focus-visible') && (outline || s.boxShadow !== 'none');
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def tab_to(page, wanted, key: str = "Tab") -> dict:
    """Press Tab (or Shift+Tab) until the focused element is the wanted one; return it."""
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        element = focused(page)
        if wanted(element):
            return element
    raise AssertionError(f"{key} never reached the element; focus ended on {focused(page)}")


def tab_to_button(page, name: str, key: str = "Tab") -> None:
    tab_to(page, lambda e: e["tag"] == "button" and e["text"] == name, key)
    assert page.evaluate(FOCUS_VISIBLE), f"the focused '{name}' button shows no focus ring"


SHOWN = """kind => Array.from(document.querySelectorAll(`input[type=${kind}]`))
  .map(e => e.labels[0].innerText.trim())"""


def shown_labels(page, kind: str) -> list[str]:
    """The option labels in the order the page shows them (drawn for this attempt)."""
    return page.evaluate(SHOWN, kind)


def choose_one(page, stage: dict) -> None:
    """Tab into the radio group, then arrow down to the expert's option."""
    labels = shown_labels(page, "radio")
    target = next(o["label"] for o in stage["options"] if o["id"] in expert_key(stage))
    first = tab_to(page, lambda e: e["type"] == "radio")
    for _ in range(labels.index(target) - labels.index(first["label"])):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    now = focused(page)
    assert (now["label"], now["checked"]) == (target, True)


def tick_each(page, stage: dict) -> None:
    """Tab through the check boxes in the order shown, ticking the expert's with Space."""
    keyed = {o["label"] for o in stage["options"] if o["id"] in expert_key(stage)}
    for shown in shown_labels(page, "checkbox"):
        if shown in keyed:
            tab_to(page, lambda e, label=shown: e["type"] == "checkbox" and e["label"] == label)
            page.keyboard.press("Space")
            assert focused(page)["checked"]


def test_trainee_completes_a_vignette_with_the_keyboard_only(live_server, page):
    sign_in(page, live_server, "trainee2@demo.example")
    tab_to(page, lambda e: e["tag"] == "a" and e["text"] == "Vignettes")
    page.keyboard.press("Enter")
    page.get_by_role("heading", level=1, name="Case vignettes").wait_for()
    tab_to(page, lambda e: e["tag"] == "a" and e["text"] == VIGNETTE["title"])
    page.keyboard.press("Enter")
    page.get_by_role("heading", level=1, name=VIGNETTE["title"]).wait_for()
    tab_to(page, lambda e: e["tag"] == "button" and e["text"] in (
        "Start the case", "Resume where you left off", "Work this case again"))
    page.keyboard.press("Enter")

    stages = VIGNETTE["stages"]
    for number, stage in enumerate(stages, 1):
        page.get_by_text(f"stage {number} of {len(stages)}").wait_for()
        if stage["kind"] == "single":
            choose_one(page, stage)
        elif stage["kind"] == "multiple":
            tick_each(page, stage)
        else:
            tab_to(page, lambda e: e["tag"] == "textarea" and e["label"] == "Your answer")
            page.keyboard.type("The avoided call and his guilt keep the grief from moving on.")
        button = "Save and continue" if number < len(stages) else "Save and review"
        tab_to_button(page, button)
        if number > 1:  # back and forth: Shift+Tab reaches the link to the previous stage
            tab_to(page, lambda e: e["tag"] == "a" and e["text"].startswith("Back to stage"),
                   "Shift+Tab")
            assert page.evaluate(FOCUS_VISIBLE), "the focused link shows no focus ring"
            tab_to_button(page, button)
        page.keyboard.press("Enter")

    page.get_by_role("heading", level=1, name="Review your answers").wait_for()
    tab_to_button(page, "Submit for scoring")
    page.keyboard.press("Enter")
    page.get_by_role("heading", level=1, name="Your result").wait_for()
    assert "Expert formulation" in page.content()
    for stage in stages:
        assert stage["title"] in page.locator("main").inner_text()
