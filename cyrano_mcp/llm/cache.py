"""An in-memory cache of temperature-0 answers, so a repeated analysis costs nothing the second time.

Kept in memory only: answers derived from client documents are not written to disk by a cache.
"""

import hashlib
import json
import time
from collections import OrderedDict

from cyrano_mcp.kit.model import LLMRequest
from cyrano_mcp.llm.provider import OutputSchema, ProviderReply
from cyrano_mcp.llm.resilience import Clock


class ResponseCache:
    def __init__(self, max_entries: int, ttl_seconds: float, clock: Clock = time.monotonic) -> None:
        self.max_entries = max_entries
        self.ttl_seconds = ttl_seconds
        self._clock = clock
        self._entries: OrderedDict[str, tuple[float, ProviderReply]] = OrderedDict()

    @staticmethod
    def key(provider: str, model: str | None, request: LLMRequest, schema: OutputSchema | None) -> str | None:
        """The cache key, or None when the request must not be cached (sampled above temperature 0)."""
        if request.temperature != 0 or not request.cacheable:
            return None
        material = {
            "provider": provider,
            "model": model,
            "prompt": request.fingerprint(),
            "max_tokens": request.max_tokens,
            "schema": schema.json_schema if schema is not None else None,
        }
        return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()

    def get(self, key: str) -> ProviderReply | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        stored_at, reply = entry
        if self._clock() - stored_at > self.ttl_seconds:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return reply

    def put(self, key: str, reply: ProviderReply) -> None:
        self._entries[key] = (self._clock(), reply)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
