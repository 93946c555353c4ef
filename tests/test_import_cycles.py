"""The import-cycle check `make check` runs (scripts/import_cycles.py, ADR 0040): it finds a cycle, also one
through an import inside a function, names its modules and lines, and the application has none."""

from __future__ import annotations

import ast
import importlib.util
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "import_cycles.py"


def _check(*roots: str, pythonpath: Path | None = None) -> subprocess.CompletedProcess:
    path = os.pathsep.join(str(p) for p in ([pythonpath] if pythonpath else []) + [ROOT, ROOT / "platform"])
    return subprocess.run(  # noqa: S603
        [sys.executable, str(SCRIPT), *roots],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": path},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _package(tmp_path: Path, name: str, modules: dict[str, str]) -> Path:
    package = tmp_path / name
    package.mkdir()
    (package / "__init__.py").write_text("")
    for module, source in modules.items():
        (package / f"{module}.py").write_text(textwrap.dedent(source))
    return tmp_path


def test_a_cycle_through_an_import_inside_a_function_fails_the_check(tmp_path):
    pythonpath = _package(
        tmp_path,
        "cyclic_shop",
        {
            "services": """
                from cyclic_shop import tasks


                def order_expire_later(order_id):
                    tasks.order_expire(order_id)
            """,
            "tasks": """
                def order_expire(order_id):
                    from cyclic_shop.services import order_cancel  # the lazy import that hides the cycle

                    order_cancel(order_id)
            """,
            "selectors": "from cyclic_shop import services\n",
        },
    )

    result = _check("cyclic_shop", pythonpath=pythonpath)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "import cycle among 2 modules: cyclic_shop.services, cyclic_shop.tasks" in result.stdout
    assert "cyclic_shop.services -> cyclic_shop.tasks (line 2)" in result.stdout
    assert "cyclic_shop.tasks -> cyclic_shop.services (line 3)" in result.stdout
    assert "cyclic_shop.selectors" not in result.stdout.split("import-cycles:")[0]  # imports the cycle, not in it
    assert "import-cycles: 1 cycle(s)" in result.stdout


def test_the_same_package_with_the_tasks_on_top_passes(tmp_path):
    pythonpath = _package(
        tmp_path,
        "layered_shop",
        {
            "services": """
                def order_cancel(order_id):
                    return order_id
            """,
            "tasks": """
                from layered_shop.services import order_cancel


                def order_expire(order_id):
                    order_cancel(order_id)
            """,
        },
    )

    result = _check("layered_shop", pythonpath=pythonpath)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "import-cycles: 0 cycle(s)" in result.stdout


def test_the_application_has_no_import_cycles():
    result = _check()

    assert result.returncode == 0, result.stdout + result.stderr


def test_imports_inside_functions_and_classes_are_counted_module_level_guards_are_not():
    spec = importlib.util.spec_from_file_location("import_cycles", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    source = textwrap.dedent("""
        from typing import TYPE_CHECKING

        try:
            import fcntl
        except ImportError:
            fcntl = None
        if TYPE_CHECKING:
            from decimal import Decimal


        def later():
            import json


        class Serializer:
            from fractions import Fraction

            def method(self):
                if True:
                    from os import path
    """)

    found = [ast.unparse(node) for node in script.deferred_imports(ast.parse(source))]

    assert found == ["import json", "from fractions import Fraction", "from os import path"]
