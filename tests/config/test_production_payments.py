"""Production settings never offer the free-approval dummy gateway unless it is switched on explicitly,
and a shop that switches it on (or offers no gateway at all) fails `check --deploy` (docs/adr/0013)."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STRIPE = {"STRIPE_SECRET_KEY": "sk_test_production_check", "STRIPE_PUBLISHABLE_KEY": "pk_test_production_check"}
CLEARED = {
    "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "PAYMENT_GATEWAYS",
    "PAYMENT_DUMMY_GATEWAY_ENABLED", "STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "DEBUG",
}  # fmt: skip


def _production(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    clean_env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    clean_env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="shop.example.com,testserver",
        SQLITE_PATH=str(tmp_path / "db.sqlite3"),
        **env,
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean_env, capture_output=True, text=True, timeout=120
    )


def _gateways(tmp_path: Path, **env: str) -> list[str]:
    code = "from django.conf import settings; import json; print(json.dumps(settings.PAYMENT_GATEWAYS))"
    result = _production(tmp_path, "shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_offers_only_real_gateways_by_default(tmp_path):
    assert _gateways(tmp_path) == []
    assert _gateways(tmp_path, **STRIPE) == ["stripe"]


def test_production_refuses_dummy_in_the_gateway_list_without_the_switch(tmp_path):
    result = _production(tmp_path, "check", PAYMENT_GATEWAYS="dummy,stripe", **STRIPE)

    assert result.returncode != 0
    assert "PAYMENT_GATEWAYS lists 'dummy'" in result.stderr
    assert "PAYMENT_DUMMY_GATEWAY_ENABLED=true" in result.stderr


def test_enabling_dummy_in_production_fails_the_deploy_check_and_warns_at_start(tmp_path):
    result = _production(tmp_path, "check", "--deploy", PAYMENT_DUMMY_GATEWAY_ENABLED="true", **STRIPE)

    assert _gateways(tmp_path, PAYMENT_DUMMY_GATEWAY_ENABLED="true", **STRIPE) == ["dummy", "stripe"]
    assert result.returncode != 0
    assert "hypex.E001" in result.stderr
    assert "hypex.E002" not in result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]  # JSON logs
    warning = [line["message"] for line in lines if (line["level"], line["logger"]) == ("WARNING", "checkout.payment")]
    assert warning and "dummy payment gateway is enabled" in warning[0]


def test_a_production_shop_without_any_gateway_fails_the_deploy_check(tmp_path):
    result = _production(tmp_path, "check", "--deploy")

    assert result.returncode != 0
    assert "hypex.E002" in result.stderr
    assert "hypex.E001" not in result.stderr


def test_production_readyz_names_the_enabled_dummy_gateway(tmp_path):
    code = (
        "import json; from django.test import Client;"
        "r = Client().get('/readyz', secure=True); print(json.dumps(r.json()['warnings']))"
    )
    on = _production(tmp_path, "shell", "--no-imports", "-c", code, PAYMENT_DUMMY_GATEWAY_ENABLED="true", **STRIPE)
    off = _production(tmp_path, "shell", "--no-imports", "-c", code, **STRIPE)

    assert on.returncode == 0 and off.returncode == 0, on.stderr + off.stderr
    assert "dummy payment gateway is enabled" in json.loads(on.stdout.strip().splitlines()[-1])[0]
    assert json.loads(off.stdout.strip().splitlines()[-1]) == []
