"""The optional online lookup: a citation-lookup service in CourtListener's wire format, off unless configured.

What is sent: the citations alone ("347 U.S. 483; 410 U.S. 113"), as the form field `text`, never the text they
came from. What comes back, per citation: `citation`, `normalized_citations`, `status` (200 found, 300 more than
one case, 404 none, 400 not a reporter it knows, 429 over its limit) and `clusters` (each with `case_name`,
`absolute_url`, `date_filed`). The answer's cases join the known authorities, so a case name is compared as for
the firm's library; a 404 marks the citation `not_found_online`.

A lookup that fails (timeout, refusal, an answer in another shape) never fails the check: the answer says what
could not be asked. The rate limit counts citations sent in the last minute, across calls, in this process.
"""

import time
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urljoin

import anyio
import httpx
from pydantic import BaseModel, ConfigDict, ValidationError

from cyrano_potemkin.citations.check import KnownAuthority, citation_key
from cyrano_potemkin.settings import PotemkinSettings

_MOST_PER_REQUEST = 250  # CourtListener reads at most 250 citations a request
_WINDOW_SECONDS = 60.0


class _Cluster(BaseModel):
    model_config = ConfigDict(extra="ignore")

    case_name: str | None = None
    absolute_url: str | None = None
    date_filed: str | None = None


class _Looked(BaseModel):
    model_config = ConfigDict(extra="ignore")

    citation: str
    normalized_citations: list[str] = []
    status: int
    clusters: list[_Cluster] = []


@dataclass
class Lookup:
    """What the service said: the cases it has, the citations it has no case at, and what the answer should say."""

    known: list[KnownAuthority] = field(default_factory=list)
    not_found: set[str] = field(default_factory=set)  # citation keys
    said: str = ""


class CitationLookup:
    def __init__(self, settings: PotemkinSettings, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._url = settings.potemkin_citation_lookup_url
        self._token = settings.potemkin_citation_lookup_token
        self._timeout = settings.potemkin_citation_lookup_timeout
        self._per_minute = settings.potemkin_citation_lookup_per_minute
        self._transport = transport
        self._sent: deque[float] = deque()  # when each citation of the last minute was sent
        self._lock = anyio.Lock()

    @property
    def enabled(self) -> bool:
        return self._url is not None

    async def look_up(self, citations: list[str]) -> Lookup:
        """Ask about `citations` (normalised, each once), as many as the rate limit lets through."""
        if self._url is None:
            return Lookup(said="nothing was checked online (no citation-lookup service is configured)")
        wanted = list(dict.fromkeys(citations))[:_MOST_PER_REQUEST]
        if not wanted:
            return Lookup(said="nothing needed checking online")
        sent = await self._take(len(wanted))
        host = httpx.URL(self._url).host
        if not sent:
            return Lookup(said=f"nothing was checked online: the limit of {self._per_minute} citations a minute "
                          f"sent to {host} is reached; try again shortly")  # fmt: skip
        try:
            answer = await self._post(wanted[:sent])
        except (httpx.HTTPError, ValueError, ValidationError) as exc:
            reason = exc.__class__.__name__ if not isinstance(exc, _Refused) else str(exc)
            return Lookup(said=f"nothing was checked online: {host} could not be asked ({reason})")
        lookup = _read(answer, self._url)
        left = len(wanted) - sent
        lookup.said = f"{sent} citation(s) looked up at {host} (only the citations were sent, not the text)" + (
            f"; {left} not, over the limit of {self._per_minute} a minute" if left else ""
        )
        return lookup

    async def _take(self, wanted: int) -> int:
        async with self._lock:
            now = time.monotonic()
            while self._sent and now - self._sent[0] > _WINDOW_SECONDS:
                self._sent.popleft()
            granted = max(0, min(wanted, self._per_minute - len(self._sent)))
            self._sent.extend([now] * granted)
            return granted

    async def _post(self, citations: list[str]) -> list[_Looked]:
        assert self._url is not None
        headers = {"Accept": "application/json"}
        if self._token is not None:
            headers["Authorization"] = f"Token {self._token.get_secret_value()}"
        async with httpx.AsyncClient(timeout=self._timeout, transport=self._transport) as client:
            response = await client.post(self._url, data={"text": "; ".join(citations)}, headers=headers)
        if response.status_code != 200:
            raise _Refused(f"it answered {response.status_code}")
        body = response.json()
        if not isinstance(body, list):
            raise _Refused("its answer is not a list of citations")
        return [_Looked.model_validate(item) for item in body]


class _Refused(ValueError):
    """The service answered, but not with a lookup."""


def _read(answer: list[_Looked], url: str) -> Lookup:
    lookup = Lookup()
    for item in answer:
        keys = {citation_key(name) for name in [item.citation, *item.normalized_citations]}
        if item.status == 404:
            lookup.not_found |= keys
            continue
        if item.status not in (200, 300):
            continue  # 400 (a reporter it does not know) and 429 (over its limit) say nothing about the case
        for cluster in item.clusters:
            where = "CourtListener" + (f" {urljoin(url, cluster.absolute_url)}" if cluster.absolute_url else "")
            for name in [item.citation, *item.normalized_citations]:
                lookup.known.append(KnownAuthority(name, cluster.case_name, where, "online"))
    return lookup
