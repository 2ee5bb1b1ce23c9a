"""The optional online lookup: a citation-lookup service in CourtListener's wire format, off unless configured.

What is sent: the citations alone ("347 U.S. 483; 410 U.S. 113"), as the form field `text`, never the text they
came from. What comes back, per citation: `citation`, `normalized_citations`, `status` (200 found, 300 more than
one case, 404 none, 400 not a reporter it knows, 429 over its limit) and `clusters` (each with `case_name`,
`absolute_url`, `date_filed`). The answer's cases join the known authorities, so a case name is compared as for
the firm's library; a 404 marks the citation `not_found_online`.

A lookup that fails (timeout, refusal, an answer in another shape) never fails the check: the answer says what
could not be asked. The rate limit counts citations sent in the last minute, across calls, in this process; an
answer is remembered for ten minutes, so the pages of one check (and checks of the same citations) ask once.
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
_REMEMBER_SECONDS = 600.0
_MOST_REMEMBERED = 5_000


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
        self._answers: dict[str, _Answer] = {}  # citation key -> what the service said of it, and when

    @property
    def enabled(self) -> bool:
        return self._url is not None

    async def look_up(self, citations: list[str]) -> Lookup:
        """Ask about `citations` (normalised), as many as the rate limit lets through; answers of the last
        `_REMEMBER_SECONDS` are reused, so paging through one answer asks once and keeps its statuses."""
        if self._url is None:
            return Lookup(said="nothing was checked online (no citation-lookup service is configured)")
        now = time.monotonic()
        wanted = list(dict.fromkeys(citations))
        remembered = [name for name in wanted if self._remembered(citation_key(name), now)]
        asked = [name for name in wanted if name not in remembered][:_MOST_PER_REQUEST]
        lookup = self._recall(remembered)
        host = httpx.URL(self._url).host
        said = [f"{len(remembered)} citation(s) as {host} answered in the last minutes"] if remembered else []
        sent = await self._take(len(asked)) if asked else 0
        if asked and not sent:
            said.append(f"the limit of {self._per_minute} citations a minute sent to {host} is reached")
        elif sent:
            try:
                fresh = _read(await self._post(asked[:sent]), self._url, asked[:sent])
            except (httpx.HTTPError, ValueError, ValidationError) as exc:
                reason = str(exc) if isinstance(exc, _Refused) else exc.__class__.__name__
                said.append(f"{host} could not be asked ({reason})")
            else:
                self._remember(fresh, now)
                lookup.known += [item for answer in fresh.values() for item in answer.cases]
                lookup.not_found |= {key for key, answer in fresh.items() if answer.not_found}
                said.append(f"{sent} citation(s) looked up at {host} (only the citations were sent, not the text)")
                if sent < len(asked):
                    said.append(f"{len(asked) - sent} not, over the limit of {self._per_minute} a minute")
        if not wanted:
            said.append("nothing needed checking online")
        lookup.said = "; ".join(said)
        if not lookup.known and not lookup.not_found and wanted:
            lookup.said = "nothing was checked online: " + lookup.said
        return lookup

    def _remembered(self, key: str, now: float) -> bool:
        answer = self._answers.get(key)
        return answer is not None and now - answer.at < _REMEMBER_SECONDS

    def _recall(self, names: list[str]) -> Lookup:
        lookup = Lookup()
        for name in names:
            answer = self._answers[citation_key(name)]
            lookup.known += answer.cases
            if answer.not_found:
                lookup.not_found.add(citation_key(name))
        return lookup

    def _remember(self, fresh: dict[str, "_Answer"], now: float) -> None:
        for key, answer in fresh.items():
            answer.at = now
            self._answers[key] = answer
        if len(self._answers) > _MOST_REMEMBERED:
            for key in sorted(self._answers, key=lambda key: self._answers[key].at)[: len(self._answers) // 2]:
                del self._answers[key]

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


@dataclass
class _Answer:
    """What the service said of one citation: the cases it has at it, or none (404)."""

    cases: list[KnownAuthority]
    not_found: bool
    at: float = 0.0


def _read(answer: list[_Looked], url: str, asked: list[str]) -> dict[str, _Answer]:
    """Each asked citation's answer, by key (a citation the service did not mention has no cases and no 404)."""
    read = {citation_key(name): _Answer(cases=[], not_found=False) for name in asked}
    for item in answer:
        names = [item.citation, *item.normalized_citations]
        keys = {citation_key(name) for name in names}
        cases = []
        if item.status in (200, 300):  # 400 (a reporter it does not know) and 429 say nothing about the case
            for cluster in item.clusters:
                where = "CourtListener" + (f" {urljoin(url, cluster.absolute_url)}" if cluster.absolute_url else "")
                cases += [KnownAuthority(name, cluster.case_name, where, "online") for name in names]
        for key in keys:
            entry = read.setdefault(key, _Answer(cases=[], not_found=False))
            entry.cases += cases
            entry.not_found = entry.not_found or item.status == 404
    return read
