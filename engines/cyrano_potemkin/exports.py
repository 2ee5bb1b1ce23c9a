"""Conversation exports read into question-and-answer pairs: ChatGPT's and Claude's `conversations.json`.

ChatGPT's export is a list of conversations, each a tree of messages in `mapping` (node id -> {message, parent,
children}); `current_node` is the leaf of the branch the user last saw, so the answers kept are those on the path
from the root to it (regenerated answers on other branches are drafts the user moved away from). A message has
`author.role`, `content.parts`, `create_time` (seconds since the epoch) and the model in `metadata.model_slug`.

Claude's export is a list of conversations with `chat_messages` in order, each with `sender` ("human" or
"assistant"), `text` (or `content` blocks of type "text") and `created_at` (ISO 8601); it does not name the model.

Each assistant answer becomes one pair, with the user message before it as its prompt.
"""

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Literal

from cyrano_mcp.kit import InvalidInputError

ExportFormat = Literal["chatgpt", "claude"]


@dataclass(frozen=True, slots=True)
class ExportedAnswer:
    prompt: str
    output: str
    model: str | None
    answered_at: dt.datetime | None
    conversation: str | None  # the conversation's title


def read_export(text: str, export_format: ExportFormat | None) -> tuple[ExportFormat, list[ExportedAnswer]]:
    """The answers of an export (its format guessed when not given); a clear error for anything else."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(f"content: not JSON ({exc.msg} at line {exc.lineno})") from None
    if isinstance(data, dict):  # one conversation exported alone
        data = [data]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise InvalidInputError("content: an export is a list of conversations (JSON objects)")
    chosen = export_format or _guess(data)
    reader = _chatgpt if chosen == "chatgpt" else _claude
    answers = [answer for conversation in data for answer in reader(conversation)]
    if not answers:
        raise InvalidInputError(f"content: no assistant answer with a user question before it in this {chosen} export")
    return chosen, answers


def _guess(conversations: list[dict[str, Any]]) -> ExportFormat:
    if not conversations:
        raise InvalidInputError("content: the export holds no conversations")
    first = conversations[0]
    if "mapping" in first:
        return "chatgpt"
    if "chat_messages" in first:
        return "claude"
    raise InvalidInputError(
        "content: not a ChatGPT export (conversations with `mapping`) nor a Claude export (with `chat_messages`)"
    )


def _chatgpt(conversation: dict[str, Any]) -> list[ExportedAnswer]:
    mapping = conversation.get("mapping")
    if not isinstance(mapping, dict):
        raise InvalidInputError("content: a ChatGPT conversation without its `mapping` of messages")
    title = _text_or_none(conversation.get("title"))
    default_model = _text_or_none(conversation.get("default_model_slug"))
    turns: list[Turn] = []
    for message in _chatgpt_branch(mapping, conversation.get("current_node")):
        author = message.get("author")
        role = author.get("role") if isinstance(author, dict) else None
        text = _chatgpt_text(message.get("content"))
        if role == "assistant" and message.get("recipient", "all") != "all":
            continue  # a call to a tool (browsing, code), not an answer to the user
        metadata = message.get("metadata")
        model = metadata.get("model_slug") if isinstance(metadata, dict) else None
        turns.append(Turn(role, text, _text_or_none(model) or default_model, _from_epoch(message.get("create_time"))))
    return _paired(turns, title)


def _chatgpt_branch(mapping: dict[str, Any], leaf: object) -> list[dict[str, Any]]:
    """The messages from the root to `leaf`, or every message by time when the export names no leaf."""
    nodes = {key: node for key, node in mapping.items() if isinstance(node, dict)}
    if isinstance(leaf, str) and leaf in nodes:
        path: list[dict[str, Any]] = []
        seen: set[str] = set()
        node_id: object = leaf
        while isinstance(node_id, str) and node_id in nodes and node_id not in seen:
            seen.add(node_id)
            path.append(nodes[node_id])
            node_id = nodes[node_id].get("parent")
        chosen = list(reversed(path))
    else:
        chosen = sorted(nodes.values(), key=lambda node: _epoch_of(node.get("message")))
    return [node["message"] for node in chosen if isinstance(node.get("message"), dict)]


def _epoch_of(message: object) -> float:
    created = message.get("create_time") if isinstance(message, dict) else None
    return float(created) if isinstance(created, int | float) else 0.0


def _chatgpt_text(content: object) -> str:
    if not isinstance(content, dict):
        return ""
    parts = content.get("parts")
    if isinstance(parts, list):
        return "\n".join(part for part in parts if isinstance(part, str)).strip()
    return _text_or_none(content.get("text")) or ""


def _claude(conversation: dict[str, Any]) -> list[ExportedAnswer]:
    messages = conversation.get("chat_messages")
    if not isinstance(messages, list):
        raise InvalidInputError("content: a Claude conversation without its list of `chat_messages`")
    title = _text_or_none(conversation.get("name"))
    turns = [
        Turn(message.get("sender"), _claude_text(message), None, _from_iso(message.get("created_at")))
        for message in messages
        if isinstance(message, dict)
    ]
    return _paired(turns, title)


@dataclass(frozen=True, slots=True)
class Turn:
    role: object  # "user"/"human", "assistant", or anything else an export holds (system, tool)
    text: str
    model: str | None
    at: dt.datetime | None


def _paired(turns: list[Turn], title: str | None) -> list[ExportedAnswer]:
    """Each run of assistant messages after a user message, joined, as the answer to it."""
    answers: list[ExportedAnswer] = []
    question: str | None = None
    replies: list[Turn] = []

    def close() -> None:
        if question is not None and replies:
            text = "\n\n".join(reply.text for reply in replies)
            answers.append(ExportedAnswer(question, text, replies[-1].model, replies[-1].at, title))

    for turn in turns:
        if turn.role in ("user", "human") and turn.text:
            close()
            question, replies = turn.text, []
        elif turn.role == "assistant" and turn.text and question is not None:
            replies.append(turn)
    close()
    return answers


def _claude_text(message: dict[str, Any]) -> str:
    text = _text_or_none(message.get("text"))
    if text:
        return text
    blocks = message.get("content")
    if not isinstance(blocks, list):
        return ""
    pieces = [block.get("text") for block in blocks if isinstance(block, dict) and block.get("type") == "text"]
    return "\n".join(piece for piece in pieces if isinstance(piece, str)).strip()


def _text_or_none(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _from_epoch(value: object) -> dt.datetime | None:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    try:
        return dt.datetime.fromtimestamp(float(value), dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _from_iso(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)
