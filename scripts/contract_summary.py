"""Summarise one schemathesis run of scripts/contract-check: operations, test cases, failures.

Usage: contract_summary.py LABEL REPORT.json RUN.log  (exit 1 when the run found a failure or errored)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(label: str, report_path: str, log_path: str) -> int:
    log = Path(log_path).read_text(errors="replace")
    try:
        report = json.loads(Path(report_path).read_text())
    except (OSError, ValueError):
        print(log[-8000:])
        print(f"contract-check [{label}]: schemathesis wrote no report")
        return 1
    operations, cases = report["operations"], report["test_cases"]
    failures = report["failures"]
    errors = report["errors"]
    server_errors = sum(group["count"] for group in failures if group["title"] == "Server error")
    if failures or errors or report["exit_code"]:
        print(log[-12000:])
    for group in failures:
        print(f"  {group['count']:4d} x {group['title']} ({group['code']}): {', '.join(group['operations'][:6])}")
    for group in errors:
        print(f"  {group['count']:4d} x error: {group['title']}")
    print(
        f"contract-check [{label}]: {operations['tested']}/{operations['selected']} operations tested, "
        f"{cases['generated']} test cases generated, {cases['with_failures']} with failures "
        f"({sum(group['count'] for group in failures)} failures, {server_errors} server errors, "
        f"{len(errors)} errors), {float(report['running_time'] or 0):.0f}s, stop: {report['stop_reason']}"
    )
    untested = operations["selected"] - operations["tested"]
    if untested:
        # The time box (CONTRACT_MAX_TIME) ran out before every operation had a case: the run proved nothing
        # about those, so it fails rather than pass on part of the API.
        print(f"contract-check [{label}]: {untested} operation(s) never tested before the time box ran out")
    return 1 if failures or errors or report["exit_code"] or untested else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
