"""Production settings send webhooks only to public https addresses unless the operator switches that
off, and `check --deploy` warns while it is off (hypex.W048, docs/adr/0048)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLEARED = {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE", "PAYMENT_DUMMY_GATEWAY_ENABLED",
           "WEBHOOK_ALLOW_HTTP", "WEBHOOK_ALLOW_PRIVATE_URLS"}  # fmt: skip


def _deploy_check(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    clean_env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    clean_env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="shop.example.com",
        STRIPE_SECRET_KEY="sk_test_deploy_check",
        SQLITE_PATH=str(tmp_path / "db.sqlite3"),
        **env,
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=clean_env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_production_refuses_private_and_plain_http_webhook_urls_unless_switched_on(tmp_path):
    assert _deploy_check(tmp_path).returncode == 0

    result = _deploy_check(tmp_path, WEBHOOK_ALLOW_PRIVATE_URLS="true")

    assert result.returncode != 0
    assert "hypex.W048" in result.stderr and "WEBHOOK_ALLOW_PRIVATE_URLS" in result.stderr
    assert "hypex.W048" in _deploy_check(tmp_path, WEBHOOK_ALLOW_HTTP="true").stderr
