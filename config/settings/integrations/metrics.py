"""Prometheus metrics (docs/adr/0033-prometheus-metrics.md, docs/OPERATIONS.md).

`/metrics` answers a request with `Authorization: Bearer $METRICS_TOKEN`, or from a peer address in
`METRICS_ALLOWED_NETWORKS` (CIDRs; loopback by default here, nothing in production), and never one that
came through a proxy. `METRICS_PORT` makes `manage.py run_huey` serve the same on that port.
`PROMETHEUS_MULTIPROC_DIR` (read by prometheus_client itself) turns on multiprocess mode: every process
of the machine writes there, and any one of them reports the sum.
"""

import ipaddress
import os

from config.env import env_int, env_list, env_str

METRICS_TOKEN = env_str("METRICS_TOKEN", "")
METRICS_ALLOWED_NETWORKS = env_list("METRICS_ALLOWED_NETWORKS", ["127.0.0.1/32", "::1/128"])
METRICS_ALLOWED_NETWORKS_PARSED = [ipaddress.ip_network(cidr, strict=False) for cidr in METRICS_ALLOWED_NETWORKS]
METRICS_PORT = env_int("METRICS_PORT", 0)

# prometheus_client writes there from the first metric it creates: make the directory if it is missing
# (a fresh emptyDir exists; a path on a new machine may not).
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)
