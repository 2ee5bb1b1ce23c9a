"""Ingest many files as a background job: one job item per file, each ingested in its own unit of work.

The tool answers at once with the job; the job runner calls `ingest_one` for each file. A file that
fails (unreadable, not a document) fails alone; the others go on. Ingesting is idempotent (the same
content in the same matter is stored once), which is what lets an interrupted item simply run again.
"""

import functools
from pathlib import Path

import anyio.to_thread

from cyrano_arkiver.models import BatchIngestRequest, BatchItem, BatchItemResult, IngestRequest
from cyrano_arkiver.parsing import list_allowed_folder
from cyrano_arkiver.service import ArkiverService
from cyrano_arkiver.settings import ArkiverSettings
from cyrano_matters.api import MattersReader
from cyrano_mcp.kit import InvalidInputError, JobQueue, JobSubmitted, NewItem

JOB_KIND = "ingest"  # the job kind `arkiver.ingest`
MAX_FILES = 10_000


class BatchIngest:
    def __init__(
        self, *, service: ArkiverService, jobs: JobQueue, matters: MattersReader, settings: ArkiverSettings
    ) -> None:
        self._service = service
        self._jobs = jobs
        self._matters = matters
        self._settings = settings

    async def submit(self, request: BatchIngestRequest) -> JobSubmitted:
        if request.matter_id is not None:
            await self._matters.ensure_open(request.matter_id)  # not_found or conflict now rather than once per file
        if request.folder is not None:
            listing = functools.partial(
                list_allowed_folder,
                request.folder,
                self._settings.allowed_roots,
                recursive=request.recursive,
                limit=MAX_FILES,
            )
            paths = await anyio.to_thread.run_sync(listing)
            if not paths:
                raise InvalidInputError(f"{request.folder!r} holds no files")
            folder = Path(request.folder)
            title = f"ingest {len(paths)} files from {folder.name or folder}"
        else:
            paths = list(request.paths or [])
            title = f"ingest {len(paths)} files"
        items = [
            NewItem(label=Path(path).name, payload=BatchItem(path=path, matter_id=request.matter_id)) for path in paths
        ]
        return JobSubmitted(job=await self._jobs.submit(f"arkiver.{JOB_KIND}", title, items))

    async def ingest_one(self, item: BatchItem) -> BatchItemResult:
        result = await self._service.ingest(IngestRequest(path=item.path, matter_id=item.matter_id))
        document = result.document
        return BatchItemResult(
            document_id=document.id,
            filename=document.filename,
            duplicate=result.duplicate,
            page_count=document.page_count,
            method=document.method,
        )
