"""Accessibility checks in the browser tests: axe-core run inside the Playwright page.

axe-core comes from npm, pinned in `tests/browser/package-lock.json` and installed with `npm ci` by
`scripts/install-system-deps` (run by `make test` and CI). Without it the calling test is skipped with
that reason, as the browser tests are without Chromium.

    from tests.browser.axe import assert_accessible

    page.goto("/basket/")
    assert_accessible(page, context="basket at 390 px")
"""

from __future__ import annotations

from pathlib import Path

import pytest

AXE_JS = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("critical", "serious")


def axe_violations(page) -> list[dict]:
    """Run axe-core (its default rule set: WCAG 2.x A/AA and best practices) on the page as it is now
    and return its violations, each with `id`, `impact`, `help`, `helpUrl` and `nodes`."""
    if not AXE_JS.exists():
        pytest.skip(f"axe-core is not installed ({AXE_JS} is missing; run scripts/install-system-deps)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations")
    return result


def serious_violations(page) -> list[dict]:
    """The page's violations whose impact is critical or serious."""
    return [v for v in axe_violations(page) if v.get("impact") in FAILING_IMPACTS]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"]:
            target = " ".join(" > ".join(part) if isinstance(part, list) else part for part in node["target"])
            lines.append(f"    {target}")
    return "\n".join(lines)


def assert_accessible(page, *, context: str = "") -> None:
    """Fail listing every critical or serious axe-core violation on the page (rule id, what it asks,
    the elements it found). `context` names the page and state in the message, e.g. "basket, 390 px"."""
    serious = serious_violations(page)
    if serious:
        where = f"{context} ({page.url})" if context else page.url
        pytest.fail(f"axe-core found {len(serious)} critical/serious violation(s) on {where}:\n{describe(serious)}")
