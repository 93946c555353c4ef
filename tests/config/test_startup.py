"""What a Django process imports when it starts (docs/adr/0038, addendum of 2026-12-07): the suites start a
few hundred (`manage.py` commands, huey workers, servers), and each paid for libraries only some use."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
import config.pythonpath, django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns
import config.asgi
from django.core.management import get_commands, load_command_class
loaded = sorted(name for name in ("twisted", "daphne", "ninja", "reportlab") if name in sys.modules)
runserver = load_command_class(get_commands()["runserver"], "runserver")
print(json.dumps({"loaded": loaded, "runserver": type(runserver).__module__,
                  "after_runserver": "twisted.internet.asyncioreactor" in sys.modules}))
"""


def test_a_process_imports_no_daphne_twisted_ninja_or_reportlab_until_it_uses_them():
    """Set up, load every URL and the ASGI application: none of these is imported. `runserver` is still
    daphne's, and loading it installs Twisted's asyncio reactor first, as daphne's app used to."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found == {
        "loaded": [],
        "runserver": "daphne.management.commands.runserver",
        "after_runserver": True,
    }
