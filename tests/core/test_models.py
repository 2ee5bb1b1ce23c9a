"""ToolInput refuses control characters in every string it is given, wherever the string sits in the input."""

from typing import Annotated

import pytest
from pydantic import SecretStr, ValidationError

from cyrano_mcp.callpath import validation_message
from cyrano_mcp.models import DOCUMENT_TEXT, ToolInput


class Party(ToolInput):
    name: str


class Filing(ToolInput):
    title: str
    tags: list[str] = []
    labels: dict[str, str] = {}
    party: Party | None = None
    body: Annotated[str, DOCUMENT_TEXT] | None = None
    password: SecretStr | None = None


def refusal(**arguments: object) -> str:
    with pytest.raises(ValidationError) as caught:
        Filing.model_validate({"title": "T", **arguments})
    return validation_message(caught.value)


def test_controls_are_refused_in_lists_dicts_and_nested_models_naming_the_field() -> None:
    assert refusal(title="a\x00b").startswith("title: contains a control character")
    assert refusal(tags=["ok", "b\x1bad"]).startswith("tags: contains a control character")
    assert refusal(labels={"k\x00": "v"}).startswith("labels: ")
    assert refusal(labels={"k": "v\x07"}).startswith("labels: ")
    assert refusal(party={"name": "x\x00y"}).startswith("party.name: contains a control character")


def test_tab_newline_carriage_return_pass_and_document_text_keeps_its_page_breaks_but_not_nul() -> None:
    filing = Filing.model_validate({"title": "a\tb\r\nc", "body": "page 1\fpage 2\x0bend", "password": "p\x00w"})
    assert filing.title == "a\tb\r\nc" and filing.body == "page 1\fpage 2\x0bend"
    assert refusal(body="page\x00").startswith("body: contains a NUL")
