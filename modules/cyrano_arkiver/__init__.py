"""Arkiver: ingest legal documents, keep their text per page, and extract grounded insights."""

from cyrano_mcp.engine import Engine, EngineContext, JobKind, Operation, ResourceTemplate
from cyrano_mcp.errors import ConfigError


def create_engine(context: EngineContext) -> Engine:
    # Imported here so that `cyrano_arkiver.pages` and the parsing/extraction packages stay importable alone.
    from cyrano_arkiver.batch import JOB_KIND, BatchIngest
    from cyrano_arkiver.migrations import migrations
    from cyrano_arkiver.models import (
        BatchIngestRequest,
        BatchItem,
        BatchItemResult,
        DeleteResult,
        Document,
        DocumentInsights,
        DocumentListRequest,
        DocumentPageList,
        DocumentRef,
        DocumentText,
        IngestRequest,
        IngestResult,
        InsightsRequest,
        PageRangeRequest,
        SearchRequest,
        SearchResults,
    )
    from cyrano_arkiver.page_index import PageIndex
    from cyrano_arkiver.service import ArkiverService, Seals
    from cyrano_arkiver.terms import terms
    from cyrano_matters.seals import matter_seals
    from cyrano_matters.service import MattersService
    from cyrano_mcp.jobs import JobSubmitted
    from cyrano_mcp.security.crypto import BlindIndex, SealedColumnIndex

    if context.jobs is None:
        raise ConfigError("Arkiver needs the job queue (build it through cyrano_mcp.server.Runtime)")
    fields = context.require_fields()
    seals = Seals(
        page_text=fields.field(table="document_pages", column="text", key_type="documents", id_column="ref"),
        insight_quote=fields.field(table="insights", column="quote", key_type="documents", id_column="ref"),
        insight_data=fields.field(table="insights", column="data", key_type="documents", id_column="ref"),
        filename=SealedColumnIndex(
            database=context.database,
            table=Document.__table__,  # type: ignore[attr-defined]
            sealed=fields.field(table="documents", column="filename", key_type="documents"),
            blind=BlindIndex(name="documents_filename", key_type="search", keyring=fields.keyring),
            terms=terms,  # the words of a name, normalised as search normalises a page's
            tokens_column="filename_tokens",
            version_column="filename_key_version",
            match="all_words",
        ),
    )
    fields.index(seals.filename)
    # The page index's own key type, so it can be rotated (and the index rebuilt) alone.
    search = BlindIndex(name="document_pages", key_type="search", keyring=fields.keyring)
    fields.index(PageIndex(database=context.database, blind=search, page_text=seals.page_text))
    matters = MattersService(context.database, matter_seals(fields, context.database))
    service = ArkiverService(
        seals=seals,
        search=search,
        database=context.database,
        settings=context.settings,
        matters=matters,
        llm=context.llm,
    )
    batch = BatchIngest(service=service, jobs=context.jobs, matters=matters, settings=context.settings)

    async def delete(params: DocumentRef) -> DeleteResult:
        return await service.delete(params.document_id)

    async def refine(params: DocumentRef) -> DocumentInsights:
        return await service.refine(params.document_id)

    async def read_document(document_id: str) -> str:
        text = await service.document(PageRangeRequest(document_id=document_id, first_page=1, last_page=100_000))
        return text.model_dump_json(indent=2)

    return Engine(
        name="arkiver",
        description="Documents: ingest PDFs, scans, DOCX, HTML and text; keep their text per page; extract "
        "parties, dates, amounts, citations, defined terms, obligations, term and governing law with provenance.",
        depends_on=("matters",),
        migrations=migrations(seals.filename),
        job_kinds=[
            JobKind(
                name=JOB_KIND,
                description="Ingest one file of a batch.",
                payload_model=BatchItem,
                result_model=BatchItemResult,
                handler=batch.ingest_one,
            )
        ],
        operations=[
            Operation(
                name="ingest",
                title="Ingest a document",
                description="Read a document (a file path under the allowed roots, its text, or its bytes in "
                "base64), store its text page by page, index it for search and extract its insights. The same "
                "content in the same matter is stored once: the existing document comes back.",
                input_model=IngestRequest,
                output_model=IngestResult,
                handler=service.ingest,
                permission="documents:write",
            ),
            Operation(
                name="ingest_batch",
                title="Ingest many documents",
                description="Ingest many files (a list of paths, or every file of a folder) under the allowed roots "
                "as a background job, optionally into one matter. Answers at once with the job; follow it with "
                "jobs_status. Each file is ingested on its own (all of it or nothing); one that fails does not "
                "stop the others, and failures worth retrying are retried.",
                input_model=BatchIngestRequest,
                output_model=JobSubmitted,
                handler=batch.submit,
                permission="documents:write",
            ),
            Operation(
                name="insights",
                title="Insights of a document",
                description="Parties, dates, governing law, amounts, citations, defined terms, obligations and "
                "term of a stored document; each item gives the page and the exact words it came from.",
                input_model=InsightsRequest,
                output_model=DocumentInsights,
                handler=service.insights,
                permission="documents:read",
                read_only=True,
                idempotent=True,
            ),
            Operation(
                name="refine",
                title="Refine insights with a model",
                description="Ask the configured model (see system_llm_check) for parties, dates and governing law "
                "the rules missed in a stored document. A proposal is kept only if its quote is found in the "
                "document; the answer says what was kept, what was dropped and why. Without a model the stored "
                "rules' insights come back with the reason.",
                input_model=DocumentRef,
                output_model=DocumentInsights,
                handler=refine,
                permission="documents:write",
                idempotent=True,
                open_world=True,
            ),
            Operation(
                name="search",
                title="Search documents",
                description="Full-text search of stored documents (optionally in one matter): ranked pages with "
                "a snippet around the match.",
                input_model=SearchRequest,
                output_model=SearchResults,
                handler=service.search,
                permission="documents:read",
                read_only=True,
                idempotent=True,
            ),
            Operation(
                name="documents",
                title="List documents",
                description="Stored documents, newest first, filtered by matter, format or file name.",
                input_model=DocumentListRequest,
                output_model=DocumentPageList,
                handler=service.documents,
                permission="documents:read",
                read_only=True,
                idempotent=True,
            ),
            Operation(
                name="document",
                title="Read a document",
                description="A stored document's details and the text of a range of its pages (ten by default).",
                input_model=PageRangeRequest,
                output_model=DocumentText,
                handler=service.document,
                permission="documents:read",
                read_only=True,
                idempotent=True,
            ),
            Operation(
                name="delete",
                title="Delete a document",
                description="Delete a stored document with its pages, insights and search index entries.",
                input_model=DocumentRef,
                output_model=DeleteResult,
                handler=delete,
                permission="documents:delete",
                destructive=True,
                idempotent=True,
            ),
        ],
        resources=[
            ResourceTemplate(
                uri_template="cyrano://documents/{document_id}",
                name="document",
                description="A stored document's details and full text, as JSON.",
                handler=read_document,
                permission="documents:read",
            )
        ],
    )
