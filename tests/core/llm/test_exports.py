"""The model layer's public surface is deliberate: `__all__` is sorted and names what engines need."""

import cyrano_mcp.llm as llm


def test_the_public_names_are_sorted_and_all_importable() -> None:
    assert llm.__all__ == sorted(llm.__all__, key=lambda name: (not name.isupper(), name))
    assert all(hasattr(llm, name) for name in llm.__all__)


def test_engines_find_everything_they_need_in_one_place() -> None:
    needed = {"LLMGateway", "LLMRequest", "Message", "Completion", "LLMError", "method_label", "RULES"}
    assert needed <= set(llm.__all__)
