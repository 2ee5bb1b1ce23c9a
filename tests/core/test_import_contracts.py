"""The import contracts of `make lint` hold on this tree, and a deliberate violation breaks them."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = str(Path(sys.executable).with_name("lint-imports"))


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    path = os.pathsep.join(str(tree / folder) for folder in (".", "modules", "engines"))
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache", str(tree / "pyproject.toml")],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": path},
        cwd=tree,
        timeout=120,
    )


def copy_of_the_tree(target: Path) -> Path:
    for folder in ("cyrano_mcp", "modules", "engines"):
        shutil.copytree(ROOT / folder, target / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    return target


def test_the_tree_keeps_its_import_contracts() -> None:
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


@pytest.mark.parametrize(
    ("module", "source", "contract", "import_line"),
    [
        (
            "modules/cyrano_arkiver/shortcut.py",
            "from cyrano_mcp.server import build_runtime",
            "Engines import the core only through cyrano_mcp.kit",
            "cyrano_arkiver.shortcut -> cyrano_mcp.server",
        ),
        (
            "cyrano_mcp/kit/shortcut.py",
            "from cyrano_mcp.registry import Registry",
            "The core is layered",
            "cyrano_mcp.kit.shortcut -> cyrano_mcp.registry",
        ),
        (
            "modules/cyrano_arkiver/shortcut.py",
            "from cyrano_matters.service import MattersService",
            "Engines reach each other only through their api modules",
            "cyrano_arkiver.shortcut -> cyrano_matters.service",
        ),
    ],
    ids=["engine-imports-the-server", "kit-imports-the-registry", "engine-reaches-into-another"],
)
def test_a_deliberate_violation_breaks_its_contract(
    tmp_path: Path, module: str, source: str, contract: str, import_line: str
) -> None:
    tree = copy_of_the_tree(tmp_path)
    (tree / module).write_text(source + "\n")
    done = lint_imports(tree)
    assert done.returncode == 1
    broken = done.stdout.split("Broken contracts")[-1]
    assert contract in broken and import_line in broken
