"""A value a process keeps a few seconds: read once, read again when old or forgotten."""

from __future__ import annotations

from ops import process_memo
from ops.process_memo import ProcessMemo, process_memos_forget


def test_the_value_is_read_once_until_it_is_old_or_forgotten(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(process_memo.time, "monotonic", lambda: clock[0])
    reads = []
    memo = ProcessMemo(lambda: reads.append(1) or len(reads), seconds=5)

    assert [memo(), memo()] == [1, 1]
    clock[0] += 4.9
    assert memo() == 1
    clock[0] += 0.1
    assert memo() == 2
    memo.forget()
    assert memo() == 3
    process_memos_forget()
    assert [memo(), memo()] == [4, 4] and len(reads) == 4
