"""Potemkin's own settings, read from `CYRANO_POTEMKIN_*` variables."""

from pydantic import Field

from cyrano_mcp.kit import EngineSettings


class PotemkinSettings(EngineSettings):
    potemkin_max_text_chars: int = Field(
        default=200_000,
        ge=1_000,
        le=5_000_000,
        description="Longest text potemkin_verify and potemkin_citations take, in characters (about 60 pages).",
    )
    potemkin_max_source_pages: int = Field(
        default=2_000, ge=1, le=100_000, description="Most source pages one potemkin_verify call reads."
    )
