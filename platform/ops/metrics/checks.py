"""`hypex.E010` (`check --deploy`): `METRICS_ALLOWED_NETWORKS` contains a network that is every address
(0.0.0.0/0 or ::/0): /metrics would be open to the internet. Use a bearer token or the scrapers' subnets."""

from django.conf import settings
from django.core.checks import Error, register


@register("metrics", deploy=True)
def check_metrics_not_open(app_configs=None, **kwargs) -> list[Error]:
    open_networks = [str(net) for net in settings.METRICS_ALLOWED_NETWORKS_PARSED if net.prefixlen == 0]
    if not open_networks:
        return []
    return [
        Error(
            f"METRICS_ALLOWED_NETWORKS includes {', '.join(open_networks)}: /metrics is open to every address.",
            hint="Give Prometheus a METRICS_TOKEN, or list only the networks it scrapes from.",
            id="hypex.E010",
        )
    ]
