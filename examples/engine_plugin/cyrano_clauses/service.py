"""Finds a kind of clause by searching each of its usual phrasings through Arkiver's search, as the caller."""

from cyrano_arkiver.api import SEARCH, SearchRequest
from cyrano_clauses.models import ClausePlace, ClausesFound, FindClauses
from cyrano_clauses.settings import ClausesSettings
from cyrano_clauses.topics import TOPICS
from cyrano_mcp.kit import OperationCaller


class ClauseFinder:
    def __init__(self, operations: OperationCaller, settings: ClausesSettings) -> None:
        self._operations = operations
        self._settings = settings

    async def find(self, request: FindClauses) -> ClausesFound:
        best: dict[tuple[str, int], tuple[float, ClausePlace]] = {}
        phrases = TOPICS[request.topic]
        for phrase in phrases:
            found = await self._operations.run(SEARCH, SearchRequest(query=phrase, matter_id=request.matter_id))
            for hit in found.hits:
                key = (hit.document_id, hit.page)
                if key not in best or hit.score > best[key][0]:
                    place = ClausePlace(
                        document_id=hit.document_id,
                        filename=hit.filename,
                        page=hit.page,
                        phrase=phrase.strip('"'),
                        snippet=hit.snippet,
                    )
                    best[key] = (hit.score, place)
        ranked = sorted(best.values(), key=lambda scored: -scored[0])
        places = [place for _, place in ranked[: self._settings.clauses_max_places]]
        return ClausesFound(topic=request.topic, places=places, searched=[phrase.strip('"') for phrase in phrases])
