"""Arkiver's own settings, read from `CYRANO_*` variables like the core's."""

from pathlib import Path

from pydantic import Field

from cyrano_mcp.kit import CommaList, EngineSettings


class ArkiverSettings(EngineSettings):
    allowed_roots: CommaList[Path] = Field(
        default_factory=list,
        description="Folders whose files `arkiver_ingest` may read by path, comma-separated; empty: none (over stdio, "
        "the folders the client declares as MCP roots are also readable). "
        "`cyrano-mcp client-config --allow FOLDER` writes it into a host's configuration.",
    )
    allow_hardlinks: bool = Field(
        default=False,
        description="Let Arkiver read by path a file with more than one hard link (its other names may be "
        "outside the allowed roots).",
    )
    max_document_bytes: int = Field(
        default=50_000_000, ge=1_000, le=2_000_000_000, description="Largest document Arkiver ingests, in bytes."
    )
    max_document_pages: int = Field(default=2000, ge=1, le=100_000, description="Most pages Arkiver ingests.")
    max_message_attachments: int = Field(
        default=100,
        ge=1,
        le=10_000,
        description="Most attachments of one e-mail (.eml), forwarded messages' included; each is stored as a "
        "document of its own. The whole message counts against CYRANO_MAX_DOCUMENT_BYTES.",
    )
    max_pdf_memory_bytes: int = Field(
        default=1024 * 1024 * 1024,
        ge=64 * 1024 * 1024,
        le=64 * 1024 * 1024 * 1024,
        description="Memory the process reading one PDF may use (what its compressed streams may expand to); "
        "a PDF needing more is refused as too_large.",
    )
    max_pdf_seconds: float = Field(
        default=120.0,
        gt=0,
        le=86_400,
        description="Time reading one PDF may take, OCR not counted; a PDF needing more is refused as too_large.",
    )
