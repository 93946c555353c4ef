"""Layout checks for the browser tests: what a shopper on a phone can see and reach.

For a page's primary action on a phone: `page.set_viewport_size(PHONE)`, open the page, then
`assert_not_covered(page, "main a[href$='/checkout/']")` - the Help button must not lie over it.
"""

from __future__ import annotations

import pytest

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
HELP_BUTTON = ".hypex-support-toggle"

# Where the element may sit in the window after scrolling: the bottom edge is where a floating button
# usually is, so every position is tried, not only the one the browser happens to pick.
_SCROLL_POSITIONS = ("end", "center", "start")


def _overlap(a: dict, b: dict) -> bool:
    across = a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
    down = a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]
    return across and down


def assert_not_covered(page, selector: str, *, by: str = HELP_BUTTON) -> None:
    """Fail if the element `selector` names (the first match: the page's primary action, a total) is covered
    by the element `by` names (default: the support chat's Help button) when scrolled into view with its
    bottom, middle or top at the window's edge. Checks the two bounding boxes, and that what is drawn at the
    middle of the element's first box (an inline link may wrap onto two lines) is the element, something
    inside it or around it - not anything laid over it."""
    target = page.locator(selector).first
    target.wait_for(state="visible")
    page.locator(by).first.wait_for(state="attached")  # the widget's script has run
    for position in _SCROLL_POSITIONS:
        target.evaluate("(el, block) => el.scrollIntoView({block, inline: 'nearest'})", position)
        box = target.bounding_box()
        cover = page.locator(by).first.bounding_box() if page.locator(by).first.is_visible() else None
        where = f"{selector!r} scrolled to the window's {position} at {page.viewport_size['width']} px on {page.url}"
        assert box is not None, f"{where}: not rendered"
        if cover is not None and _overlap(box, cover):
            pytest.fail(f"{by!r} at {cover} covers {where} at {box}")
        on_top = target.evaluate(
            """el => { const r = el.getClientRects()[0] || el.getBoundingClientRect();
                       const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                       const clear = hit === null || el.contains(hit) || hit.contains(el);
                       return clear ? '' : hit.outerHTML.slice(0, 160); }"""
        )
        if on_top:
            pytest.fail(f"{where}: the element on top at its middle is {on_top}")


def items_in_first_row(items) -> int:
    """How many of the elements the Playwright locator `items` matches share the first one's row (the
    same top edge, side by side)."""
    boxes = [box for box in (item.bounding_box() for item in items.all()) if box]
    if not boxes:
        return 0
    first = boxes[0]
    return sum(1 for box in boxes if abs(box["y"] - first["y"]) < 2)
