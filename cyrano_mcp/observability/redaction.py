"""Keeps secrets and client material out of log lines, whatever the code that logs them does.

Four nets, each for what the others miss:

1. **Key names.** Values under keys that name a secret (password, token, api_key, authorization,
   cookie, ...) or client text (text, content, notes, prompt, arguments, ...) are replaced, at any depth.
2. **Shapes.** Any string, including messages and formatted tracebacks, loses what looks like a JWT,
   a provider API key (`sk-...`, `sk-ant-...`, `ghp_...`, `AKIA...`), an `Authorization` credential,
   a password in a URL, or the value in `password=...` / `"token": "..."`.
3. **The current call's arguments.** During a tool call, free text the client sent (any argument
   string with a space in it, and every string under a secret key) is cut out of every field: an
   exception message that quotes a document is caught here.
4. **Size.** A field longer than `MAX_FIELD_CHARS` is replaced by its length: no log field needs that
   much text, and long free text is where documents hide. Tracebacks are exempt (nets 2 and 3 apply).
"""

import functools
import re
from collections.abc import Iterable, Iterator, MutableMapping
from typing import Any

from cyrano_mcp.calls import CallContext, current_call

REDACTED = "[redacted]"
MAX_FIELD_CHARS = 2000

_SECRET_KEY = re.compile(
    r"pass(word|wd|phrase)|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|master[_-]?key|"
    r"signing[_-]?key|encryption[_-]?key|authori[sz]ation|cookie|credential|session[_-]?id|"
    r"(^|_)(dsn|database_url|redis_url|url_with_password)$",
    re.IGNORECASE,
)
# Token *counts* (input_tokens=123) are metrics, not secrets.
_COUNT_KEY = re.compile(r"tokens?(_count)?$|_count$", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s")
_CLIENT_TEXT_KEY = re.compile(
    r"(^|_)(text|content|contents|body|notes?|quote|excerpt|snippet|prompt|completion|messages|arguments|"
    r"transcript|document)$",
    re.IGNORECASE,
)
# Keys whose values Cyrano itself produces (the correlation id is checked against a strict pattern).
_OWN_KEYS = frozenset(
    {"level", "timestamp", "logger", "tool", "correlation_id", "outcome", "transport", "trace_id", "span_id"}
)
# Tracebacks are long by nature; they still go through the shape and argument nets.
_LONG_KEYS = frozenset({"exception", "stack", "stack_info"})

_shapes: list[re.Pattern[str]] = [
    # JWT (and JWS/JWE compact forms): base64url JSON header, always starting `eyJ`.
    re.compile(r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"),
    # Provider keys: OpenAI/Anthropic/generic sk-, Stripe-style, GitHub, GitLab, Slack, AWS, Google, Hugging Face.
    re.compile(r"\b(?:sk|pk|rk)-[A-Za-z0-9_-]{16,}"),
    re.compile(r"\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{16,}"),
    re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|glpat-[A-Za-z0-9_-]{20,})"),
    re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
    re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    re.compile(r"\bAIza[0-9A-Za-z_-]{35}"),
    re.compile(r"\bhf_[A-Za-z0-9]{30,}"),
]
# Shapes that keep a harmless prefix (the scheme, the key name, the user) and lose the secret after it.
_PREFIXED_SHAPES = [
    re.compile(r"(?i)(\b(?:bearer|basic|digest|token)\s+)[A-Za-z0-9._~+/-]{8,}=*"),
    re.compile(r"(\b[a-zA-Z][a-zA-Z0-9+.-]*://[^:/\s@]*:)[^@\s/]+(?=@)"),
    re.compile(
        r"(?i)(\b(?:\w*?[_-])?(?:password|passwd|pwd|passphrase|secret|token|api[_-]?key|private[_-]?key)"
        r"[\"']?\s*(?:=|:|\bis\b)\s*[\"']?)[^\s\"',;}]+"
    ),
]
_PREFIXED_REPLACEMENT = r"\1" + REDACTED
# Something every shape above contains. Most strings contain none of them, and one search of this
# pattern is far cheaper than trying every shape: it is what keeps a log line's redaction in microseconds.
_TRIGGERS = [
    "eyJ",
    "sk-",
    "pk-",
    "rk-",
    "_live_",
    "_test_",
    "gh",
    "glpat-",
    "xox",
    "AKIA",
    "ASIA",
    "AIza",
    "hf_",
    "://",
]
_WORD_TRIGGERS = r"(?i:bearer|basic|digest|token|pass|pwd|secret|key)"


def _trigger() -> re.Pattern[str]:
    extra = [shape.pattern for shape in _shapes[_BUILT_IN_SHAPES:]]
    return re.compile("|".join([*map(re.escape, _TRIGGERS), _WORD_TRIGGERS, *extra]))


_BUILT_IN_SHAPES = len(_shapes)
_trigger_pattern = _trigger()


def register_secret_pattern(pattern: str) -> None:
    """Add a shape to redact everywhere (e.g. the prefix of API keys that Cyrano itself issues)."""
    global _trigger_pattern
    _shapes.append(re.compile(pattern))
    _trigger_pattern = _trigger()


def redact_text(text: str, client_values: Iterable[str] = ()) -> str:
    for value in client_values:
        if value in text:
            text = text.replace(value, REDACTED)
    if _trigger_pattern.search(text) is None:
        return text
    for shape in _shapes:
        text = shape.sub(REDACTED, text)
    for prefixed in _PREFIXED_SHAPES:
        text = prefixed.sub(_PREFIXED_REPLACEMENT, text)
    return text


@functools.cache
def _is_secret_key(key: str) -> bool:
    return bool(_SECRET_KEY.search(key) or _CLIENT_TEXT_KEY.search(key))


def _redact(value: Any, client_values: tuple[str, ...], *, limit: bool) -> Any:
    if isinstance(value, str):
        if limit and len(value) > MAX_FIELD_CHARS:
            return f"[redacted: {len(value)} characters]"
        return redact_text(value, client_values)
    if isinstance(value, bytes | bytearray | memoryview):
        return f"[redacted: {len(value)} bytes]"
    if isinstance(value, dict):
        return {str(k): _redact_field(str(k), v, client_values) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_redact(item, client_values, limit=limit) for item in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    # Anything else is rendered with str() by the renderers: redact that text instead of trusting it.
    return _redact(str(value), client_values, limit=limit)


def _redact_field(key: str, value: Any, client_values: tuple[str, ...]) -> Any:
    if _is_secret_key(key):
        if isinstance(value, int | float) and not isinstance(value, bool) and _COUNT_KEY.search(key):
            return value
        return REDACTED
    return _redact(value, client_values, limit=True)


def _argument_strings(value: Any, secret: bool = False) -> Iterator[str]:
    if isinstance(value, str):
        stripped = value.strip()
        # Identifiers and enum words (no whitespace) are useful in logs; free text and secrets are not.
        if len(stripped) >= 4 and (secret or _WHITESPACE.search(stripped)):
            yield stripped
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _argument_strings(item, secret or _is_secret_key(str(key)))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _argument_strings(item, secret)


_last_call: tuple[CallContext | None, tuple[str, ...]] = (None, ())


def _client_values() -> tuple[str, ...]:
    """The current call's free-text arguments, longest first; worked out once per call, not per line."""
    global _last_call
    call = current_call()
    if call is None or not call.arguments:
        return ()
    cached_call, values = _last_call
    if cached_call is not call:
        # Longest first, so a value that contains another is cut out whole.
        values = tuple(sorted(set(_argument_strings(call.arguments)), key=len, reverse=True))
        _last_call = (call, values)
    return values


def redact_event(_: Any, __: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """structlog processor: the last step before rendering (after tracebacks are formatted)."""
    client_values = _client_values()
    for key, value in event_dict.items():
        if key in _OWN_KEYS:
            continue
        if key in _LONG_KEYS:
            event_dict[key] = _redact(value, client_values, limit=False)
        elif key == "event":
            event_dict[key] = _redact(value, client_values, limit=True)
        else:
            event_dict[key] = _redact_field(key, value, client_values)
    return event_dict
