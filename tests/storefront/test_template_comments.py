"""Django's `{# ... #}` comment ends on its own line: one that runs onto the next line is not a comment
and is shown to the user as text (the agent console showed one). Longer notes use `{% comment %}`."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT_DIRS = ("templates", "catalogue", "checkout", "content", "support", "platform")
OPEN_COMMENT = re.compile(r"\{#(?![^\n]*#\})")


def _templates() -> list[Path]:
    return sorted(
        path
        for directory in PROJECT_DIRS
        for path in (ROOT / directory).rglob("*.html")
        if "node_modules" not in path.parts
    )


def unclosed_comments() -> list[str]:
    found = []
    for path in _templates():
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if OPEN_COMMENT.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}")
    return found


def test_every_template_comment_closes_on_its_own_line():
    assert len(_templates()) > 50  # the project's templates were found
    assert unclosed_comments() == []


def test_a_comment_running_onto_the_next_line_is_found():
    assert OPEN_COMMENT.search("{# one line #} and {# two") and not OPEN_COMMENT.search("{# one #}")
