"""`--dist loadgroup` for pytest 9: the `xdist_group` mark reaches the scheduler again.

pytest-xdist (3.8, the newest) tells its scheduler a test's group by renaming the test in the worker:
`item._nodeid = "<node id>@<group>"`. pytest 9 keeps a node's id in `item._id` (a `NodeId`), so the
assignment has no effect: every `xdist_group` was ignored and, for example, the browser tests ran in both
workers at once, each with its own Chromium and live server. This plugin makes the same rename through
pytest 9's attribute, after every other hook has added its marks; a test whose id already carries its
group (a fixed xdist) is left alone. `tests/test_xdist_groups.py` fails if groups stop reaching the
scheduler.
"""

from __future__ import annotations

import pytest
from _pytest.nodeid import NodeId


def group_of(item: pytest.Item) -> str | None:
    """The group `--dist loadgroup` schedules the test in, as xdist names it (several marks: joined)."""
    names = {
        str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
        for mark in item.iter_markers("xdist_group")
    }
    return "_".join(sorted(names)) or None


@pytest.hookimpl(trylast=True)  # after the hooks that add xdist_group marks
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not getattr(config.option, "loadgroup", False):  # set in xdist workers under --dist loadgroup
        return
    for item in items:
        group = group_of(item)
        if group and not item.nodeid.endswith(f"@{group}"):
            item._id = NodeId.parse(f"{item.nodeid}@{group}")
