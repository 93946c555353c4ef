"""The tests tree mirrors the application packages (CONTRIBUTING.md, "Where tests go"): a test module sits
in `tests/<path>/` only where `<path>/` is a package of the project (`catalogue/reviews/`,
`checkout/order/api/`, `platform/accounts/`), in one of the directories that test no single package, or in
`tests/` itself beside the harness it tests; API tests sit in the mirror of an `api/` package; and every
directory of the tree is a package, so modules are named from the root (`tests.checkout.basket...`)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"

#: directories whose tests belong to no single package: whole journeys in a browser (browser/), the
#: deployment files and production-shaped runs (deploy/, mirrors the deploy/ folder), and the storefront's
#: theme, templates and links across every app (storefront/, over templates/ and static/)
CROSS_CUTTING = {"browser", "deploy", "storefront"}


def _test_modules() -> list[Path]:
    return sorted(path for path in TESTS.rglob("test_*.py") if "node_modules" not in path.parts)


def _mirrored(directory: Path) -> Path:
    """The project path a tests directory stands for: tests/checkout/basket -> checkout/basket."""
    return ROOT / directory.relative_to(TESTS)


def misplaced_modules() -> list[str]:
    misplaced = []
    for module in _test_modules():
        directory = module.parent
        relative = directory.relative_to(TESTS)
        if directory == TESTS or relative.parts[0] in CROSS_CUTTING:
            continue
        if not (_mirrored(directory) / "__init__.py").is_file():
            misplaced.append(f"{module.relative_to(ROOT)}: {relative}/ is not a package of the project")
        elif module.name.endswith("_api.py") and directory.name != "api":
            misplaced.append(f"{module.relative_to(ROOT)}: API tests go in the mirror of the app's api/ package")
    return misplaced


def directories_without_init() -> list[str]:
    directories = {path.parent for path in TESTS.rglob("*.py") if "node_modules" not in path.parts}
    return sorted(str(d.relative_to(ROOT)) for d in directories if not (d / "__init__.py").is_file())


def test_every_test_module_sits_in_the_mirror_of_a_package_or_a_cross_cutting_directory():
    assert sorted(d for d in CROSS_CUTTING if not (TESTS / d).is_dir()) == []
    misplaced = misplaced_modules()
    assert not misplaced, "move (CONTRIBUTING.md, Where tests go):\n" + "\n".join(misplaced)


def test_every_directory_of_the_tests_tree_is_a_package():
    without = directories_without_init()
    assert not without, "add __init__.py to:\n" + "\n".join(without)
