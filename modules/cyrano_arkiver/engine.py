"""Arkiver's declaration: ingest legal documents, keep their text per page, and extract grounded insights."""

from cyrano_arkiver.batch import JOB_KIND, BatchIngest
from cyrano_arkiver.migrations import migrations
from cyrano_arkiver.models import BatchItem, BatchItemResult, Document, PageRangeRequest
from cyrano_arkiver.page_index import PageIndex
from cyrano_arkiver.permissions import DOCUMENTS
from cyrano_arkiver.service import ArkiverService, Seals
from cyrano_arkiver.settings import ArkiverSettings
from cyrano_arkiver.terms import terms
from cyrano_matters.api import MattersReader
from cyrano_mcp.kit import (
    BlindIndex,
    Engine,
    EngineContext,
    FieldCipher,
    JobKind,
    Operation,
    Parts,
    ResourceTemplate,
    SealedColumnIndex,
)


def _seals(fields: FieldCipher, context: EngineContext) -> Seals:
    return Seals(
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


def build(context: EngineContext) -> Parts:
    settings = context.settings(ArkiverSettings)
    fields = context.fields
    seals = _seals(fields, context)
    fields.index(seals.filename)
    # The page index's own key type, so it can be rotated (and the index rebuilt) alone.
    search = BlindIndex(name="document_pages", key_type="search", keyring=fields.keyring)
    fields.index(PageIndex(database=context.database, blind=search, page_text=seals.page_text))
    matters = context.require(MattersReader)
    service = ArkiverService(
        seals=seals, search=search, database=context.database, settings=settings, matters=matters, llm=context.llm
    )
    batch = BatchIngest(service=service, jobs=context.jobs, matters=matters, settings=settings)

    async def read_document(document_id: str) -> str:
        text = await service.read_document(PageRangeRequest(document_id=document_id, first_page=1, last_page=100_000))
        return text.model_dump_json(indent=2)

    return Parts(
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
            Operation.write(
                "ingest",
                service.ingest,
                "Read a document (a file path under the allowed roots, its text, or its bytes in base64), store its "
                "text page by page, index it for search and extract its insights. The same content in the same matter "
                "is stored once: the existing document comes back.",
                permission="documents:write",
                title="Ingest a document",
            ),
            Operation.write(
                "ingest_batch",
                batch.submit,
                "Ingest many files (a list of paths, or every file of a folder) under the allowed roots as a "
                "background job, optionally into one matter. Answers at once with the job; follow it with jobs_status. "
                "Each file is ingested on its own (all of it or nothing); one that fails does not stop the others, and "
                "failures worth retrying are retried.",
                permission="documents:write",
                title="Ingest many documents",
            ),
            Operation.read(
                "insights",
                service.insights,
                "Parties, dates, governing law, amounts, citations, defined terms, obligations and term of a stored "
                "document; each item gives the page and the exact words it came from.",
                permission="documents:read",
                title="Insights of a document",
            ),
            Operation.write(
                "refine",
                service.refine,
                "Ask the configured model (see system_llm_check) for parties, dates and governing law the rules missed "
                "in a stored document. A proposal is kept only if its quote is found in the document; the answer says "
                "what was kept, what was dropped and why. Without a model the stored rules' insights come back with "
                "the reason.",
                permission="documents:write",
                title="Refine insights with a model",
                idempotent=True,
                open_world=True,
            ),
            Operation.read(
                "search",
                service.search,
                "Full-text search of stored documents (optionally in one matter): ranked pages with a snippet around "
                "the match.",
                permission="documents:read",
                title="Search documents",
            ),
            Operation.read(
                "list_documents",
                service.list_documents,
                "Stored documents, newest first, filtered by matter, format or file name.",
                permission="documents:read",
                title="List documents",
            ),
            Operation.read(
                "read_document",
                service.read_document,
                "A stored document's details and the text of a range of its pages (ten by default).",
                permission="documents:read",
                title="Read a document",
            ),
            Operation.destructive_write(
                "delete",
                service.delete,
                "Delete a stored document with its pages, insights and search index entries.",
                permission="documents:delete",
                title="Delete a document",
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


ENGINE = Engine(
    name="arkiver",
    description="Documents: ingest PDFs, scans, DOCX, HTML and text; keep their text per page; extract parties, "
    "dates, amounts, citations, defined terms, obligations, term and governing law with provenance.",
    build=build,
    requires=(MattersReader,),
    settings=ArkiverSettings,
    permissions=(DOCUMENTS,),
)
