"""The README's generated tables match the code (run `make docs` after changing settings or tools)."""

from pathlib import Path

from cyrano_mcp.docs import generated_blocks, render

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_tables_are_current() -> None:
    current = README.read_text(encoding="utf-8")
    assert render(current, generated_blocks()) == current, "README.md is out of date: run `make docs`"
