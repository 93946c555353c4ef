"""Reading `/metrics` the way Prometheus does: through HTTP, parsed with prometheus_client's own parser.
Counters are process-wide and other tests move them too, so tests compare a scrape before and after."""

from __future__ import annotations

from django.test import Client
from prometheus_client.parser import text_string_to_metric_families


class Scrape:
    def __init__(self, text: str):
        self.text = text
        self.samples: dict[tuple[str, frozenset], float] = {}
        self.families: set[str] = set()
        for family in text_string_to_metric_families(text):
            self.families.add(family.name)
            for sample in family.samples:
                self.samples[(sample.name, frozenset(sample.labels.items()))] = sample.value

    def value(self, name: str, **labels) -> float:
        """The sample's value (0 when absent: a counter never incremented is not exported)."""
        return self.samples.get((name, frozenset((k, str(v)) for k, v in labels.items())), 0.0)

    def total(self, name: str, **labels) -> float:
        """The sum over every sample of `name` whose labels include `labels`."""
        wanted = {(k, str(v)) for k, v in labels.items()}
        return sum(value for (sample, got), value in self.samples.items() if sample == name and wanted <= got)


def scrape(client: Client | None = None, **headers) -> Scrape:
    response = (client or Client()).get("/metrics", **headers)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/plain; version=")
    return Scrape(response.content.decode())
