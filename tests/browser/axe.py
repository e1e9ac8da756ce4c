"""axe-core for the browser tests, from the axe-playwright-python package (which bundles
axe.min.js, MPL-2.0): no CDN, nothing installed by hand.

The engine goes into the page through `page.evaluate`, which Playwright runs over the DevTools
protocol, so the app's Content-Security-Policy (no inline scripts) needs no bypass.
"""

from axe_playwright_python.sync_playwright import Axe

BLOCKING = ("serious", "critical")
_AXE = Axe()


def violations(page, impacts: tuple[str, ...] = BLOCKING) -> list[dict]:
    """The axe-core violations of the page as it is now, of the given impacts."""
    results = _AXE.run(page, options={"resultTypes": ["violations"]})
    return [v for v in results.response["violations"] if v["impact"] in impacts]


def describe(found: list[dict]) -> str:
    """One readable paragraph per violated rule, with the elements where it fails."""
    lines = []
    for rule in found:
        lines.append(f"[{rule['impact']}] {rule['id']}: {rule['help']} ({rule['helpUrl']})")
        for node in rule["nodes"][:8]:
            summary = node.get("failureSummary", "").replace("\n", " ")
            lines.append(f"    {' '.join(map(str, node['target']))}: {summary}")
    return "\n".join(lines)


def assert_accessible(page, where: str) -> None:
    """Fail with every serious or critical axe-core violation on the page."""
    found = violations(page)
    assert not found, f"{where} ({page.url}):\n{describe(found)}"
