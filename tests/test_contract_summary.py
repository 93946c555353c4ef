"""The contract check's verdict on one schemathesis run (scripts/contract_summary.py, ADR 0029): a run whose
time box ran out before every operation had a test case fails, as a run with a failure does."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("contract_summary", ROOT / "scripts" / "contract_summary.py")
contract_summary = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(contract_summary)


def _verdict(tmp_path: Path, *, tested: int, selected: int = 57, failures: list | None = None) -> int:
    report = {
        "operations": {"tested": tested, "selected": selected},
        "test_cases": {"generated": 1200, "with_failures": 0},
        "failures": failures or [],
        "errors": [],
        "exit_code": 0,
        "running_time": 60.2,
        "stop_reason": "max_time",
    }
    (tmp_path / "report.json").write_text(json.dumps(report))
    (tmp_path / "run.log").write_text("schemathesis output\n")
    return contract_summary.main("anonymous", str(tmp_path / "report.json"), str(tmp_path / "run.log"))


def test_a_run_that_tested_every_operation_without_failures_passes(tmp_path, capsys):
    assert _verdict(tmp_path, tested=57) == 0
    assert "57/57 operations tested" in capsys.readouterr().out


def test_a_run_whose_time_box_left_operations_untested_fails(tmp_path, capsys):
    assert _verdict(tmp_path, tested=55) == 1
    assert "2 operation(s) never tested" in capsys.readouterr().out


def test_a_run_with_a_server_error_fails(tmp_path, capsys):
    failures = [{"title": "Server error", "code": "not_a_server_error", "count": 1, "operations": ["GET /api/v1/x/"]}]
    assert _verdict(tmp_path, tested=57, failures=failures) == 1
    assert "1 server errors" in capsys.readouterr().out
