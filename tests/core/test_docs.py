"""The docs' generated tables match the code (run `make docs` after changing settings, tools or roles)."""

from pathlib import Path

import pytest

from cyrano_mcp.docs import DOCUMENTS, generated_blocks, render

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("document", sorted(DOCUMENTS))
def test_generated_tables_are_current(document: str) -> None:
    blocks = generated_blocks()
    current = (ROOT / document).read_text(encoding="utf-8")
    wanted = {name: blocks[name] for name in DOCUMENTS[document]}
    assert render(current, wanted) == current, f"{document} is out of date: run `make docs`"
