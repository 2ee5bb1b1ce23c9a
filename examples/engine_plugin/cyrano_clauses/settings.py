"""The engine's own settings, read from `CYRANO_*` variables like Cyrano's."""

from pydantic import Field

from cyrano_mcp.kit import EngineSettings


class ClausesSettings(EngineSettings):
    clauses_max_places: int = Field(default=10, ge=1, le=50, description="Most places `clauses_find` returns.")
