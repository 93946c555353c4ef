"""Production settings refuse to start half-configured, and pass Django's deployment checklist."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    cleared = {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE", "PAYMENT_DUMMY_GATEWAY_ENABLED"}
    clean_env = {k: v for k, v in os.environ.items() if k not in cleared}
    clean_env.update(DJANGO_SETTINGS_MODULE="config.settings.production", **env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean_env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"ALLOWED_HOSTS": "shop.example.com"}, "SECRET_KEY"),
        ({"SECRET_KEY": "x" * 60}, "ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_without_required_settings(env, missing):
    result = _manage("check", **env)
    assert result.returncode != 0
    assert f"The environment variable {missing} must be set." in result.stderr


def test_production_passes_the_deployment_checklist():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="shop.example.com",
        STRIPE_SECRET_KEY="sk_test_deploy_check",  # a production shop takes payment (hypex.E002)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_secret_can_come_from_a_file(tmp_path):
    secret_file = tmp_path / "secret_key"
    secret_file.write_text(secrets.token_urlsafe(60) + "\n")
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY_FILE=str(secret_file),
        ALLOWED_HOSTS="shop.example.com",
        STRIPE_SECRET_KEY="sk_test_deploy_check",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _effective(env: dict[str, str]) -> str:
    code = (
        "from django.conf import settings as s; from huey.contrib.djhuey import HUEY;"
        "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'],"
        " s.CHANNEL_LAYERS['default']['BACKEND'], type(HUEY).__name__, HUEY.immediate)"
    )
    clean_env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "HUEY_MODE"}}
    clean_env.update(DJANGO_SETTINGS_MODULE="config.settings.local", **env)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_no_environment_gives_the_embedded_default():
    assert _effective({}) == (
        "django.db.backends.sqlite3 ops.metrics.cache.CountingLocMemCache "
        "channels.layers.InMemoryChannelLayer MemoryHuey True"
    )


def test_database_and_redis_urls_switch_to_postgres_and_redis():
    assert _effective(
        {"DATABASE_URL": "postgres://u@127.0.0.1:5432/hypex", "REDIS_URL": "redis://127.0.0.1:6379/0"}
    ) == (
        "django.db.backends.postgresql ops.cache_backends.FaultTolerantRedisCache "
        "ops.channel_layer.PubSubChannelLayer RedisHuey False"
    )
