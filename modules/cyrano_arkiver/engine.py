"""Arkiver's declaration: ingest legal documents, keep their text per page, and extract grounded insights."""

from cyrano_arkiver.batch import JOB_KIND, BatchIngest
from cyrano_arkiver.clause_service import ClauseService
from cyrano_arkiver.document_writer import DocumentWriter
from cyrano_arkiver.insight_service import InsightService
from cyrano_arkiver.mail_ingest import MailIngest
from cyrano_arkiver.message_service import MessageReader
from cyrano_arkiver.migrations import migrations
from cyrano_arkiver.models import BatchItem, BatchItemResult, Document
from cyrano_arkiver.page_index import PageIndex
from cyrano_arkiver.parsing import ParseLimits
from cyrano_arkiver.permissions import DOCUMENTS
from cyrano_arkiver.prompts import arkiver_prompts
from cyrano_arkiver.resources import arkiver_resources
from cyrano_arkiver.roots import check_allowed_roots
from cyrano_arkiver.search_service import PageSearch
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
    SealedColumnIndex,
    Toolset,
)

MAIL_TOOLSET = "documents_mail"


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
        message_envelope=fields.field(
            table="document_messages", column="envelope", key_type="documents", id_column="document_id"
        ),
        link_filename=fields.field(table="document_links", column="filename", key_type="documents", id_column="ref"),
    )


def _limits(settings: ArkiverSettings) -> ParseLimits:
    return ParseLimits(
        max_bytes=settings.max_document_bytes,
        max_pages=settings.max_document_pages,
        max_pdf_memory_bytes=settings.max_pdf_memory_bytes,
        max_pdf_seconds=settings.max_pdf_seconds,
        max_attachments=settings.max_message_attachments,
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
    insights = InsightService(
        database=context.database,
        llm=context.llm,
        page_text=seals.page_text,
        insight_quote=seals.insight_quote,
        insight_data=seals.insight_data,
    )
    pages = PageSearch(database=context.database, blind=search, page_text=seals.page_text, filename=seals.filename)
    writer = DocumentWriter(
        database=context.database,
        page_text=seals.page_text,
        filename=seals.filename,
        search=pages,
        insights=insights,
        limits=_limits(settings),
    )
    sealed_mail = {"envelope": seals.message_envelope, "link_filename": seals.link_filename}
    mail = MailIngest(database=context.database, writer=writer, matters=matters, **sealed_mail)
    messages = MessageReader(database=context.database, matters=matters, **sealed_mail)
    service = ArkiverService(
        seals=seals,
        search=pages,
        database=context.database,
        settings=settings,
        matters=matters,
        insights=insights,
        writer=writer,
        mail=mail,
    )
    clauses = ClauseService(
        database=context.database,
        insights=insights,
        insight_data=seals.insight_data,
        filename=seals.filename,
        matters=matters,
    )
    batch = BatchIngest(service=service, jobs=context.jobs, matters=matters, settings=settings)

    templates, listings = arkiver_resources(service)

    return Parts(
        checks=[lambda: check_allowed_roots(settings.allowed_roots)],
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
                "Read a document (a file path under the allowed folders or the client's roots, its text, or its bytes "
                "in base64), store its text page by page, index it for search and extract its insights. The same "
                "content in the same matter is stored once: the existing document comes back. An e-mail (.eml) is "
                "stored with each readable attachment as a document of its own.",
                permission="documents:write",
                title="Ingest a document",
                idempotent=True,  # the same content in the same matter is stored once
            ),
            Operation.write(
                "ingest_batch",
                batch.submit,
                "Ingest many files (a list of paths, or the documents of a folder) under the allowed folders or the "
                "client's roots as a background job, optionally into one matter. Answers at once with the job and "
                "what it skipped; follow it with jobs_status. "
                "Each file is ingested on its own (all of it or nothing); one that fails does not stop the others, and "
                "failures worth retrying are retried.",
                permission="documents:write",
                title="Ingest many documents",
            ),
            Operation.read(
                "insights",
                insights.insights,
                "What a stored document says, each item with its page and exact words: first the key terms in full "
                "(parties, key dates, governing law, term, renewal and notice) and counts of every kind, then the "
                "long lists (amounts, obligations, other dates, defined terms, citations) a page at a time. For more, "
                "call again with next_cursor; narrow with kinds and obligor (one party's obligations).",
                permission="documents:read",
                title="Insights of a document",
            ),
            Operation.read(
                "clauses",
                clauses.clauses,
                "Which of CUAD's 41 clause categories a contract has, or a grid of a matter's contracts: each "
                "present clause with its page, exact words and the value it sets (period, amount, consent needed, "
                "date, law...). Narrow with categories (keys such as change_of_control, anti_assignment, "
                "cap_on_liability; answers list them).",
                permission="documents:read",
                title="Clause review grid",
            ),
            Operation.write(
                "refine",
                insights.refine,
                "Ask the configured model (see system_llm_check) for parties, dates, law and clauses the rules missed "
                "in a stored document. A proposal is kept only if its quote is found in the document; the answer says "
                "what was kept, what was dropped and why (arkiver_insights then shows the kept ones with the rest). "
                "Without a model nothing changes and the answer says why.",
                permission="documents:write",
                title="Refine insights with a model",
                idempotent=True,
                open_world=True,
            ),
            Operation.read(
                "search",
                pages.search,
                "Full-text search of stored documents, or of one matter's or one document's: ranked pages, each with "
                "a snippet where the query's words stand together. The way into a long document: search, then read "
                "the pages found with arkiver_read_document.",
                permission="documents:read",
                title="Search documents",
            ),
            Operation.read(
                "list_documents",
                service.list_documents,
                "Stored documents, newest first, filtered by matter, format, file name or clause categories; ten a "
                "page, next_offset for more.",
                permission="documents:read",
                title="List documents",
            ),
            Operation.read(
                "read_document",
                service.read_document,
                "A stored document's details and the text of a range of its pages: by default from first_page as "
                "many as fit in about 6,500 characters; next_page says where to go on. Find pages with arkiver_search.",
                permission="documents:read",
                title="Read a document",
            ),
            Operation.read(
                "messages",
                messages.messages,
                "A matter's e-mails (ingested .eml files) oldest first, optionally within a period (since/until, "
                "UTC days): when each was sent, sender, recipients, subject, Message-ID and In-Reply-To for "
                "threading, and its attachments (stored as documents of their own, or listed with why not).",
                permission="documents:read",
                title="E-mail messages of a matter",
                toolset=MAIL_TOOLSET,
            ),
            Operation.destructive_write(
                "delete",
                service.delete,
                "Delete a stored document with its pages, insights and search index entries (an e-mail's "
                "attachments stay, as documents of their own).",
                permission="documents:delete",
                title="Delete a document",
                idempotent=True,
            ),
        ],
        prompts=arkiver_prompts(pages, insights, clauses),
        resources=templates,
        listings=listings,
    )


ENGINE = Engine(
    name="arkiver",
    description="Documents: ingest PDFs, scans, DOCX, HTML and text; keep their text per page; extract parties, "
    "dates, amounts, citations, defined terms, obligations, term and governing law with provenance.",
    build=build,
    requires=(MattersReader,),
    settings=ArkiverSettings,
    permissions=(DOCUMENTS,),
    toolsets=(
        Toolset("documents", "Ingest, search and read documents and their insights."),
        Toolset(MAIL_TOOLSET, "A matter's e-mails in the order they were sent, for timelines.", on_stdio=False),
    ),
)
