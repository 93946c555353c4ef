"""The Helm chart (deploy/helm/hypex) keeps the contracts of running Hypex on Kubernetes (ADR 0036).

Renders the chart with helm (scripts/install-helm puts it in var/tools/bin) and reads the manifests.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "deploy" / "helm" / "hypex"
SECRET_NAMES = {
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "METRICS_TOKEN",
    "STRIPE_SECRET_KEY",
    "AWS_SECRET_ACCESS_KEY",
}


def _helm() -> str:
    local = ROOT / "var" / "tools" / "bin" / "helm"
    helm = str(local) if os.access(local, os.X_OK) else shutil.which("helm")
    if helm is None:
        pytest.skip("helm is not installed: run scripts/install-helm (scripts/install-system-deps does)")
    return helm


def render(*values_files: str, **sets: str) -> list[dict]:
    command = [_helm(), "template", "shop", str(CHART), "--kube-version", "1.31.0"]
    for values in values_files:
        command += ["-f", str(CHART / values)]
    for key, value in sets.items():
        command += ["--set", f"{key.replace('__', '.')}={value}"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)  # noqa: S603
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def by_kind(manifests: list[dict], kind: str) -> dict[str, dict]:
    return {m["metadata"]["name"]: m for m in manifests if m["kind"] == kind}


def pod_specs(manifests: list[dict]) -> dict[str, dict]:
    return {
        m["metadata"]["name"]: m["spec"]["template"]["spec"] for m in manifests if m["kind"] in {"Deployment", "Job"}
    }


def container_env(container: dict) -> dict[str, dict]:
    return {item["name"]: item for item in container["env"]}


@pytest.fixture(scope="module")
def default() -> list[dict]:
    return render()


@pytest.fixture(scope="module")
def production() -> list[dict]:
    return render("values-production.yaml")


def test_exactly_one_scheduler_replaced_by_recreate_never_rolled(default, production):
    for manifests in (default, production):
        scheduler = by_kind(manifests, "Deployment")["shop-hypex-scheduler"]

        assert scheduler["spec"]["replicas"] == 1
        assert scheduler["spec"]["strategy"] == {"type": "Recreate"}
        assert "shop-hypex-scheduler" not in by_kind(manifests, "HorizontalPodAutoscaler")
        container = scheduler["spec"]["template"]["spec"]["containers"][0]
        assert container["command"] == ["python", "manage.py", "run_huey"]
        assert "--no-periodic" not in container["args"] and "-n" not in container["args"]


def test_scheduler_stays_single_whatever_the_values_say():
    manifests = render(scheduler__replicaCount="3", worker__replicaCount="4")

    assert by_kind(manifests, "Deployment")["shop-hypex-scheduler"]["spec"]["replicas"] == 1


def test_workers_run_tasks_but_never_enqueue_periodic_ones(production):
    worker = by_kind(production, "Deployment")["shop-hypex-worker"]
    container = worker["spec"]["template"]["spec"]["containers"][0]

    assert container["command"] == ["python", "manage.py", "run_huey", "--no-periodic"]
    assert container["args"] == ["-w", "4", "--graceful-signal", "TERM", "--shutdown-timeout", "55"]
    assert worker["spec"]["replicas"] == 2


def test_web_runs_the_production_server_with_its_processes_on_port_8000(default):
    container = by_kind(default, "Deployment")["shop-hypex-web"]["spec"]["template"]["spec"]["containers"][0]

    assert container["command"] == ["gunicorn", "-c", "config/gunicorn.py", "config.asgi:application"]
    assert container_env(container)["WEB_CONCURRENCY"]["value"] == "2"
    assert container_env(container)["HTTP_THREADS"]["value"] == "2"
    assert container["ports"] == [{"name": "http", "containerPort": 8000, "protocol": "TCP"}]


def test_migrations_run_as_a_hook_before_install_and_upgrade(default):
    job = by_kind(default, "Job")["shop-hypex-migrate"]

    assert job["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"
    assert job["metadata"]["annotations"]["helm.sh/hook-delete-policy"] == "before-hook-creation,hook-succeeded"
    assert job["spec"]["template"]["spec"]["containers"][0]["command"] == [
        "python",
        "manage.py",
        "migrate",
        "--no-input",
    ]
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"


def test_probes_ask_healthz_and_readyz_with_a_host_django_allows(production):
    container = by_kind(production, "Deployment")["shop-hypex-web"]["spec"]["template"]["spec"]["containers"][0]
    allowed_hosts = container_env(container)["ALLOWED_HOSTS"]["value"].split(",")

    probes = {name: container[name]["httpGet"] for name in ("startupProbe", "livenessProbe", "readinessProbe")}

    assert {name: probe["path"] for name, probe in probes.items()} == {
        "startupProbe": "/healthz",
        "livenessProbe": "/healthz",
        "readinessProbe": "/readyz",
    }
    for probe in probes.values():
        assert probe["port"] == "http"
        assert probe["httpHeaders"] == [{"name": "Host", "value": "shop.example.com"}]
        assert probe["httpHeaders"][0]["value"] in allowed_hosts


def test_a_subdomain_wildcard_is_probed_at_its_domain_and_served_with_its_subdomains():
    manifests = render(**{"config__allowedHosts[0]": "*", "config__allowedHosts[1]": ".example.org"})
    container = by_kind(manifests, "Deployment")["shop-hypex-web"]["spec"]["template"]["spec"]["containers"][0]
    ingress = by_kind(manifests, "Ingress")["shop-hypex"]

    assert container["readinessProbe"]["httpGet"]["httpHeaders"] == [{"name": "Host", "value": "example.org"}]
    assert [rule["host"] for rule in ingress["spec"]["rules"]] == ["example.org", "*.example.org"]


def test_every_pod_runs_as_the_images_non_root_user_with_a_read_only_root(default, production):
    dockerfile_user = re.search(r"^USER (\d+):(\d+)$", (ROOT / "Dockerfile").read_text(), re.MULTILINE)
    uid, gid = int(dockerfile_user[1]), int(dockerfile_user[2])

    for manifests in (default, production):
        specs = pod_specs(manifests)
        assert set(specs) == {"shop-hypex-web", "shop-hypex-worker", "shop-hypex-scheduler", "shop-hypex-migrate"}
        for spec in specs.values():
            context = spec["securityContext"]
            assert (context["runAsNonRoot"], context["runAsUser"], context["runAsGroup"]) == (True, uid, gid)
            assert context["seccompProfile"] == {"type": "RuntimeDefault"}
            assert spec["automountServiceAccountToken"] is False
            for container in spec["containers"]:
                assert container["securityContext"] == {
                    "allowPrivilegeEscalation": False,
                    "readOnlyRootFilesystem": True,
                    "capabilities": {"drop": ["ALL"]},
                }
                mounts = {mount["mountPath"]: mount["name"] for mount in container["volumeMounts"]}
                assert mounts["/tmp"] == "tmp"
                assert mounts["/run/hypex-metrics"] == "metrics"
                assert container_env(container)["PROMETHEUS_MULTIPROC_DIR"]["value"] == "/run/hypex-metrics"
                assert container_env(container)["DATABASE_APPLICATION_NAME"]["value"].startswith("hypex-")
                assert container["resources"]["requests"] and container["resources"]["limits"]["memory"]


def test_ingress_routes_the_shop_and_its_websockets_but_publishes_no_metrics(production):
    ingress = by_kind(production, "Ingress")["shop-hypex"]

    paths = [path for rule in ingress["spec"]["rules"] for path in rule["http"]["paths"]]
    assert [rule["host"] for rule in ingress["spec"]["rules"]] == ["shop.example.com", "www.shop.example.com"]
    assert {(path["path"], path["pathType"]) for path in paths} == {("/", "Prefix")}
    assert "metrics" not in yaml.safe_dump(ingress)
    assert int(ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600


def test_secrets_are_referenced_from_the_existing_secret_never_copied(default, production):
    for manifests, secret in ((default, "hypex"), (production, "hypex-production")):
        assert not by_kind(manifests, "Secret")
        for spec in pod_specs(manifests).values():
            env = container_env(spec["containers"][0])
            for name in SECRET_NAMES:
                assert "value" not in env[name]
                assert env[name]["valueFrom"]["secretKeyRef"]["name"] == secret
                assert env[name]["valueFrom"]["secretKeyRef"]["key"] == name
            required = {name for name in env if "secretKeyRef" in env[name].get("valueFrom", {})}
            required = {name for name in required if not env[name]["valueFrom"]["secretKeyRef"].get("optional")}
            assert required == {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"}


def test_media_on_a_shared_volume_by_default(default):
    claim = by_kind(default, "PersistentVolumeClaim")["shop-hypex-media"]
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]

    for name, spec in pod_specs(default).items():
        container = spec["containers"][0]
        env = container_env(container)
        mounted = {mount["name"] for mount in container["volumeMounts"]}
        if name == "shop-hypex-migrate":
            assert "data" not in mounted  # hooks run before the claim exists
            continue
        assert "data" in mounted
        assert {v["name"]: v for v in spec["volumes"]}["data"]["persistentVolumeClaim"][
            "claimName"
        ] == "shop-hypex-media"
        assert env["MEDIA_ROOT"]["value"] == "/app/data/media"
        assert env["DATAEXCHANGE_FILES_ROOT"]["value"] == "/app/data/private/dataexchange"
    web_env = container_env(pod_specs(default)["shop-hypex-web"]["containers"][0])
    assert web_env["SERVE_MEDIA"]["value"] == "true"


def test_media_on_object_storage_needs_no_volume(production):
    assert not by_kind(production, "PersistentVolumeClaim")
    for spec in pod_specs(production).values():
        env = container_env(spec["containers"][0])
        assert env["MEDIA_STORAGE"]["value"] == "s3"
        assert env["AWS_STORAGE_BUCKET_NAME"]["value"] == "example-shop-media"
        assert env["DATAEXCHANGE_S3_BUCKET_NAME"]["value"] == "example-shop-private"
        assert "SERVE_MEDIA" not in env
        assert "data" not in {volume["name"] for volume in spec["volumes"]}


def test_web_autoscales_on_cpu_and_keeps_two_pods_through_disruptions(production):
    hpa = by_kind(production, "HorizontalPodAutoscaler")["shop-hypex-web"]
    web = by_kind(production, "Deployment")["shop-hypex-web"]

    assert "replicas" not in web["spec"]  # the autoscaler owns it
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (3, 6)
    assert hpa["spec"]["metrics"][0]["resource"]["name"] == "cpu"
    assert by_kind(production, "PodDisruptionBudget")["shop-hypex-web"]["spec"]["minAvailable"] == 2


def test_service_monitor_scrapes_web_and_task_pods_with_the_metrics_token(default, production):
    assert not by_kind(default, "ServiceMonitor")
    monitor = by_kind(production, "ServiceMonitor")["shop-hypex"]
    services = by_kind(production, "Service")

    endpoints = {endpoint["port"]: endpoint for endpoint in monitor["spec"]["endpoints"]}
    assert set(endpoints) == {"http", "metrics"}
    for endpoint in endpoints.values():
        assert endpoint["path"] == "/metrics"
        assert endpoint["authorization"]["credentials"] == {"name": "hypex-production", "key": "METRICS_TOKEN"}
    selected = {
        name
        for name, service in services.items()
        if monitor["spec"]["selector"]["matchLabels"].items() <= service["metadata"]["labels"].items()
    }
    assert selected == {"shop-hypex-web", "shop-hypex-tasks-metrics"}
    task_pods = services["shop-hypex-tasks-metrics"]["spec"]["selector"]
    for name in ("shop-hypex-worker", "shop-hypex-scheduler"):
        deployment = by_kind(production, "Deployment")[name]
        assert task_pods.items() <= deployment["spec"]["template"]["metadata"]["labels"].items()
        env = container_env(deployment["spec"]["template"]["spec"]["containers"][0])
        assert env["METRICS_PORT"]["value"] == "9100"


def test_rendering_refuses_values_that_cannot_run():
    helm = _helm()
    for sets, message in (
        (["existingSecret="], "existingSecret"),
        (["media.storage=s3"], "media.s3.bucket"),
        (["media.storage=nfs"], "media.storage must be pvc or s3"),
    ):
        command = [helm, "template", "shop", str(CHART)] + [arg for item in sets for arg in ("--set", item)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)  # noqa: S603
        assert result.returncode != 0
        assert message in result.stderr


def test_manifest_validation_fails_on_unknown_fields_and_kinds(tmp_path):
    good = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": {"ports": [{"port": 80}]}}
    typo = {**good, "spec": {"ports": [{"port": 80}], "clusterIp": "None"}}
    unknown = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}}
    script = ROOT / "scripts" / "validate_manifests.py"

    def validate(*docs: dict) -> subprocess.CompletedProcess:
        path = tmp_path / "manifests.yaml"
        path.write_text(yaml.safe_dump_all(docs))
        return subprocess.run(  # noqa: S603
            [sys.executable, str(script), str(path)], capture_output=True, text=True, timeout=60, check=False
        )

    assert validate(good).returncode == 0
    assert validate(good, typo).returncode == 1
    assert "'clusterIp' was unexpected" in validate(typo).stdout
    assert validate(unknown).returncode == 1
