"""The chart's probes, and the Docker image's HEALTHCHECK, pass the real production server (gunicorn with
uvicorn workers, `config/gunicorn.py`) running production settings with the chart's environment.

Production settings require ALLOWED_HOSTS and redirect plain HTTP to HTTPS; the kubelet probes the server
directly over plain HTTP. The probes therefore send the first allowed host, and /healthz and /readyz
are exempt from the redirect: this checks both, with the values the chart renders. The Dockerfile's
HEALTHCHECK runs in the container with the same environment and sends the same host.
"""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time

import pytest

from tests.asgi_server import ROOT, _free_port, database_env
from tests.deploy.test_helm_chart import by_kind, container_env, render


def _dockerfile_healthcheck(port: int) -> str:
    """The Dockerfile's HEALTHCHECK command (continuation lines joined), aimed at `port` instead of 8000."""
    lines = (ROOT / "Dockerfile").read_text().replace("\\\n", " ").splitlines()
    (line,) = [line for line in lines if line.startswith("HEALTHCHECK ")]
    return line.split(" CMD ", 1)[1].replace("127.0.0.1:8000", f"127.0.0.1:{port}")


def _get(port: int, path: str, host: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", path, headers={"Host": host})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


@pytest.mark.django_db(transaction=True)
def test_the_charts_probes_pass_on_the_production_server_with_production_settings(tmp_path):
    container = by_kind(render("values-production.yaml"), "Deployment")["shop-hypex-web"]["spec"]["template"]
    container = container["spec"]["containers"][0]
    plain_env = {name: item["value"] for name, item in container_env(container).items() if "value" in item}
    probes = {name: container[name]["httpGet"] for name in ("livenessProbe", "readinessProbe")}
    host = probes["readinessProbe"]["httpHeaders"][0]["value"]
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("MEDIA_", "AWS_"))},
        **plain_env,
        "MEDIA_STORAGE": "filesystem",  # the bucket is not reachable here; probes never touch media
        "SECRET_KEY": "probe-test-" + "x" * 50,
        **database_env(),
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),  # the pod's emptyDir
        "BIND_HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_GRACEFUL_TIMEOUT": "3",
    }
    env.pop("REDIS_URL", None)
    for name in [name for name in env if name.startswith("OTEL_")]:
        env.pop(name)  # the production example's collector is not here
    log = open(ROOT / "var" / f"test-probes-server-{port}.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(  # noqa: S603 - the container's command, as the chart runs it
        [sys.executable, "-m", *container["command"]], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (ROOT / "var" / f"test-probes-server-{port}.log").read_text()[-2000:]
            try:
                liveness = _get(port, probes["livenessProbe"]["path"], host)
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not answer in 60 s"
                time.sleep(0.3)
        readiness = _get(port, probes["readinessProbe"]["path"], host)
        storefront = _get(port, "/", host)
        other_host = _get(port, "/healthz", "127.0.0.1")
        docker_health = subprocess.run(  # noqa: S603 - the Dockerfile's own command, in the container's environment
            ["/bin/sh", "-c", _dockerfile_healthcheck(port)],
            env={"PATH": os.environ["PATH"], "ALLOWED_HOSTS": env["ALLOWED_HOSTS"]},
            capture_output=True, text=True, timeout=30, check=False,
        )  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=15)
        log.close()

    assert (plain_env["DJANGO_SETTINGS_MODULE"], plain_env["SECURE_SSL_REDIRECT"]) == (
        "config.settings.production",
        "true",
    )
    assert liveness.status == 200
    assert readiness.status == 200  # "degraded" without Redis still answers 200 (ADR 0025)
    assert storefront.status == 301 and storefront.getheader("Location") == f"https://{host}/"
    assert other_host.status == 400  # the Host header is what makes the probes pass
    assert "127.0.0.1" not in env["ALLOWED_HOSTS"].split(",")
    assert docker_health.returncode == 0, docker_health.stdout + docker_health.stderr
