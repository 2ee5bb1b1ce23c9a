"""Ingest many files as a background job: one job item per file, each ingested in its own unit of work.

The tool answers at once with the job; the job runner calls `ingest_one` for each file. A file that
fails (unreadable, not a document) fails alone; the others go on. Ingesting is idempotent (the same
content in the same matter is stored once), which is what lets an interrupted item simply run again.

From a folder only the files named like documents are taken (unless `include_all`); the answer says what
was left out. A file under a root of the submitting stdio client keeps that root in its item, since the
client cannot be asked once the call has ended.
"""

import functools
from pathlib import Path

import anyio.to_thread

from cyrano_arkiver.models import (
    BatchIngestRequest,
    BatchItem,
    BatchItemResult,
    BatchSubmitted,
    IngestRequest,
    SkippedFiles,
)
from cyrano_arkiver.parsing import FolderListing, list_allowed_folder, looks_like_document
from cyrano_arkiver.roots import client_root_of, readable_roots
from cyrano_arkiver.service import ArkiverService
from cyrano_arkiver.settings import ArkiverSettings
from cyrano_matters.api import MattersReader
from cyrano_mcp.kit import InvalidInputError, JobQueue, NewItem

JOB_KIND = "ingest"  # the job kind `arkiver.ingest`
MAX_FILES = 10_000
MAX_SKIPPED_NAMES = 20  # the answer names this many skipped files and counts the rest


class BatchIngest:
    def __init__(
        self, *, service: ArkiverService, jobs: JobQueue, matters: MattersReader, settings: ArkiverSettings
    ) -> None:
        self._service = service
        self._jobs = jobs
        self._matters = matters
        self._settings = settings

    async def submit(self, request: BatchIngestRequest) -> BatchSubmitted:
        if request.matter_id is not None:
            await self._matters.ensure_open(request.matter_id)  # not_found or conflict now rather than once per file
        configured = self._settings.allowed_roots
        skipped: SkippedFiles | None = None
        if request.folder is not None:
            roots = await readable_roots([request.folder], configured)
            listing = functools.partial(
                list_allowed_folder, request.folder, roots, recursive=request.recursive, limit=MAX_FILES
            )
            paths, skipped = _pick_documents(await anyio.to_thread.run_sync(listing), request)
            if not paths:
                left_out = f" ({skipped.count} other files skipped; see include_all)" if skipped else ""
                raise InvalidInputError(f"{request.folder!r} holds no documents{left_out}")
            folder = Path(request.folder)
            title = f"ingest {len(paths)} files from {folder.name or folder}"
        else:
            paths = list(request.paths or [])
            roots = await readable_roots(paths, configured)
            title = f"ingest {len(paths)} files"
        items = [
            NewItem(
                label=Path(path).name,
                payload=BatchItem(
                    path=path, matter_id=request.matter_id, client_root=_text(client_root_of(path, configured, roots))
                ),
            )
            for path in paths
        ]
        job = await self._jobs.submit(f"arkiver.{JOB_KIND}", title, items)
        return BatchSubmitted(job=job, skipped=skipped)

    async def ingest_one(self, item: BatchItem) -> BatchItemResult:
        granted = [Path(item.client_root)] if item.client_root is not None else []
        result = await self._service.ingest_under(
            IngestRequest(path=item.path, matter_id=item.matter_id), roots=[*self._settings.allowed_roots, *granted]
        )
        document = result.document
        return BatchItemResult(
            document_id=document.id,
            filename=document.filename,
            duplicate=result.duplicate,
            page_count=document.page_count,
            method=document.method,
        )


def _pick_documents(listing: FolderListing, request: BatchIngestRequest) -> tuple[list[str], SkippedFiles | None]:
    """The files of a folder to ingest, and what was left out: hidden files always, and unless `include_all`
    those not named like documents (a manifest.json, Thumbs.db, an Office lock file ~$...)."""
    assert request.folder is not None
    base = Path(request.folder)
    picked: list[str] = []
    left_out = list(listing.hidden)
    for path in listing.files:
        if request.include_all or looks_like_document(Path(path).name):
            picked.append(path)
        else:
            left_out.append(str(Path(path).relative_to(base)))
    if not left_out:
        return picked, None
    reasons = []
    if len(left_out) > len(listing.hidden):
        reasons.append(
            f"{len(left_out) - len(listing.hidden)} not named like a document Arkiver reads (PDF, DOCX, PNG, JPEG, "
            "TIFF, HTML, Markdown, text, e-mail); include_all: true takes them too"
        )
    if listing.hidden:
        reasons.append(f"{len(listing.hidden)} hidden (never read)")
    return picked, SkippedFiles(
        count=len(left_out), names=sorted(left_out)[:MAX_SKIPPED_NAMES], reason="; ".join(reasons)
    )


def _text(path: Path | None) -> str | None:
    return str(path) if path is not None else None
