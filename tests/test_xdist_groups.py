"""Tests marked `xdist_group` run in one worker (tests/xdist_groups.py)."""

from __future__ import annotations

import pytest

from tests.xdist_groups import group_of

pytestmark = pytest.mark.xdist_group("xdist-group-check")


@pytest.mark.parametrize("copy", [1, 2])
def test_a_grouped_test_carries_its_group_to_the_scheduler(request, copy):
    """Under `--dist loadgroup` (how `make test` and CI run the suite) the scheduler knows a test's group
    only from the `@<group>` at the end of its id; without it the two copies could run in two workers."""
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("runs under pytest-xdist with --dist loadgroup (make test)")
    assert request.node.nodeid.endswith("@xdist-group-check")


def test_the_browser_tests_and_seeded_modules_are_grouped(request):
    """The groups the suite relies on: one Chromium at a time, and a demo shop seeded once per module."""
    groups = {item.nodeid.split("@")[0]: group_of(item) for item in request.session.items}
    browser = {nodeid: group for nodeid, group in groups.items() if nodeid.startswith("tests/browser/")}
    browse = {
        nodeid: group
        for nodeid, group in groups.items()
        if nodeid.startswith("tests/catalogue/search/test_browse_pages.py")
    }
    if not browser or not browse:
        pytest.skip("run with the whole suite (the browser tests and the seeded modules collected)")
    assert set(browser.values()) == {"browser"}
    assert set(browse.values()) == {"tests.catalogue.search.test_browse_pages"}
