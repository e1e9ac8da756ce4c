"""Journey 5 in a real browser: a supervisor rates a gold-standard recording blind, compares
his rating with the experts' consensus item by item, and the admin sees his agreement."""

import re
from pathlib import Path

import pytest
import yaml

from tests.browser.test_journeys import sign_in

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
SCALE = yaml.safe_load((ROOT / "curriculum/scales/ipt-session-quality.yaml").read_text())
SUPERVISOR = "Sam Supervisor"
# The agreement line the pages show: "ICC(2,1) 0.41 · within one point 83% · bias +0.33 · ..."
FIGURES = re.compile(r"ICC\(2,1\) (-?\d\.\d\d) · within one point (\d+)% · bias ([+-]\d\.\d\d)"
                     r" · (\d+) recording\(s\), (\d+) item\(s\)")


def items_of(phase: str) -> list[dict]:
    return [item for item in SCALE["items"] if phase in item["phases"]]


def rate_blind(page) -> tuple[str, dict[str, int]]:
    """Rate the first gold standard not yet rated; its title and the scores given."""
    row = page.get_by_role("row").filter(
        has=page.get_by_role("link", name=re.compile(r"^Rate blind"))).first
    title = row.get_by_role("cell").first.inner_text().strip()
    row.get_by_role("link", name=re.compile(r"^Rate blind")).click()
    page.get_by_role("heading", level=1, name=f"Rate blind: {title}").wait_for()
    player = page.locator("audio#player")
    assert player.get_attribute("controls") is not None
    page.wait_for_function("() => document.getElementById('player').duration > 0")
    phase = page.get_by_text(re.compile(r"^[\w-]+ phase\.")).inner_text().split()[0]
    scores = {}
    for index, item in enumerate(items_of(phase)):
        scores[item["title"]] = 3 + index % 2  # some spread, so the ICC is defined
        group = page.get_by_role("group", name=item["title"])
        group.get_by_label("Score").select_option(str(scores[item["title"]]))
    page.get_by_label("Global rating").select_option("3")
    page.get_by_role("button", name="Submit my rating").click()
    return title, scores


def test_supervisor_calibrates_on_a_gold_standard_and_the_admin_sees_it(live_server, browser,
                                                                          page):
    sign_in(page, live_server, "supervisor@demo.example")
    page.get_by_role("link", name="Calibration", exact=True).click()
    page.get_by_role("heading", level=1, name="Rater calibration").wait_for()
    title, scores = rate_blind(page)

    page.get_by_role("heading", level=1, name=f"{title}: you and the consensus").wait_for()
    table = page.get_by_role("table").first
    for item_title, score in scores.items():
        cells = table.get_by_role("row").filter(
            has=page.get_by_role("cell", name=item_title, exact=True)).get_by_role("cell")
        you, consensus, difference = (cells.nth(i).inner_text().strip() for i in (1, 2, 3))
        assert you == str(score)
        assert int(difference) == score - int(consensus)
    assert table.get_by_role("row").filter(has_text="Global").get_by_role("cell").nth(1) \
        .inner_text().strip() == "3"
    page.get_by_role("heading", name="Your calibration").wait_for()
    mine = FIGURES.search(page.locator("main").inner_text())
    assert mine is not None, "the comparison page shows ICC, within one and bias"
    assert int(mine.group(4)) >= 1 and int(mine.group(5)) >= len(scores)
    page.get_by_role("link", name="Calibration", exact=True).first.click()
    rated = page.get_by_role("row").filter(has=page.get_by_role("cell", name=title, exact=True))
    rated.get_by_role("link", name=re.compile(r"^Compare with the consensus")).wait_for()

    admin = browser.new_context().new_page()
    sign_in(admin, live_server, "admin@demo.example")
    admin.get_by_role("link", name="Calibration", exact=True).click()
    admin.get_by_role("heading", level=1, name="Rater calibration").wait_for()
    row = admin.get_by_role("row").filter(
        has=admin.get_by_role("cell", name=SUPERVISOR, exact=True))
    listed = FIGURES.search(row.inner_text())
    assert listed is not None, f"the admin sees {SUPERVISOR}'s agreement figures"
    assert listed.groups() == mine.groups()
    admin.locator("#chart-raters .main-svg").first.wait_for()  # drawn by plotly.js
    admin.context.close()
