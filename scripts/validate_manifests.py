"""Validate rendered Kubernetes manifests against the Kubernetes API schemas, offline.

Usage: python scripts/validate_manifests.py [--kubernetes-version 1.31] FILE...

Every document must validate strictly (unknown fields are errors) against kubernetes-validate's schemas
for that Kubernetes version. Custom resources have no schema there, and kubernetes-validate's own CLI
only warns about them and passes; here an unknown kind fails, except the custom resources listed in
CUSTOM_RESOURCES, which get the structural check written for them instead. Exits 1 on any error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

import kubernetes_validate
import yaml
from kubernetes_validate.utils import SchemaNotFoundError, ValidationError


def _service_monitor_problems(resource: dict) -> list[str]:
    """The fields the Prometheus Operator needs to scrape anything (its CRD is not in the schemas)."""
    spec = resource.get("spec") or {}
    problems = [] if spec.get("selector", {}).get("matchLabels") else ["spec.selector.matchLabels is empty"]
    endpoints = spec.get("endpoints") or []
    if not endpoints:
        problems.append("spec.endpoints is empty")
    for index, endpoint in enumerate(endpoints):
        for field in ("port", "path"):
            if not endpoint.get(field):
                problems.append(f"spec.endpoints[{index}].{field} is missing")
        credentials = (endpoint.get("authorization") or {}).get("credentials") or {}
        if endpoint.get("authorization") and not (credentials.get("name") and credentials.get("key")):
            problems.append(f"spec.endpoints[{index}].authorization.credentials needs name and key")
    return problems


CUSTOM_RESOURCES: dict[tuple[str, str], Callable[[dict], list[str]]] = {
    ("monitoring.coreos.com/v1", "ServiceMonitor"): _service_monitor_problems,
}


def resource_problems(resource: dict, *, kubernetes_version: str) -> tuple[list[str], bool]:
    """(problems, checked against the Kubernetes schema) for one manifest."""
    try:
        kubernetes_validate.validate(resource, kubernetes_version, strict=True)
    except ValidationError as error:
        path = ".".join(str(part) for part in error.path)
        return [f"{path}: {error.message}"], True
    except SchemaNotFoundError:
        check = CUSTOM_RESOURCES.get((resource.get("apiVersion", ""), resource.get("kind", "")))
        if check is None:
            return [
                f"no schema for {resource.get('apiVersion')} {resource.get('kind')} (not a known custom resource)"
            ], False
        return check(resource), False
    return [], True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kubernetes-version", default="1.31")
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)

    errors = schema_checked = custom_checked = 0
    for path in args.files:
        for resource in (doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc):
            name = f"{resource.get('kind')}/{(resource.get('metadata') or {}).get('name')}"
            problems, against_schema = resource_problems(resource, kubernetes_version=args.kubernetes_version)
            schema_checked += against_schema
            custom_checked += not against_schema and not problems
            for problem in problems:
                errors += 1
                print(f"ERROR {path}: {name}: {problem}")
            if not against_schema and not problems:
                print(f"note {path}: {name}: custom resource, no Kubernetes schema; structure checked")
    print(
        f"validate-manifests: {schema_checked} manifests against the Kubernetes {args.kubernetes_version} schemas "
        f"(strict), {custom_checked} custom resources by structure, {errors} errors"
    )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
