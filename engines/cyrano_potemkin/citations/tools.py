"""The operations of potemkin_citations and of the library of authorities, as the engine declares them."""

from typing import Any

from cyrano_matters.api import MattersReader
from cyrano_mcp.kit import EngineContext, Operation, Toolset
from cyrano_potemkin.alerts.service import AlertService
from cyrano_potemkin.citations.library import AuthoritiesLibrary
from cyrano_potemkin.citations.online import CitationLookup
from cyrano_potemkin.citations.service import CitationsService
from cyrano_potemkin.settings import PotemkinSettings

LIBRARY_TOOLSET = "potemkin_library"
# The library is kept by the firm, so it is on over HTTP and off on a lawyer's own stdio catalogue by default.
CITATIONS_TOOLSETS = (
    Toolset(
        LIBRARY_TOOLSET, "Keep the firm's library of authorities that citations are checked against.", on_stdio=False
    ),
)


def citations_service(context: EngineContext, settings: PotemkinSettings, alerts: AlertService) -> CitationsService:
    note = context.fields.field(table="potemkin_authorities", column="note", key_type="documents")
    library = AuthoritiesLibrary(context.database, note)
    return CitationsService(
        context.operations, context.require(MattersReader), library, CitationLookup(settings), alerts, settings
    )


def citation_operations(checker: CitationsService) -> list[Operation[Any, Any]]:
    library = checker.library
    return [
        Operation.write(
            "citations",
            checker.citations,
            "Check the legal citations in a text (cases, statutes, short forms, id.) offline: each malformed "
            "(no such reporter or series), impossible (year or court the reporter cannot have), found (in the "
            "firm's library or matter_id's documents, under the same case name) or unverified. A fabricated one "
            "raises an alert.",
            permission="potemkin:verify",
            title="Check a text's citations",
            idempotent=True,
            open_world=checker.online.enabled,
            toolset="potemkin",
        ),
        Operation.write(
            "authorities_add",
            library.add,
            "Add a checked authority (citation and case name) to the firm's library that potemkin_citations "
            "checks against. Adding it again under the same name is harmless; under another name it is refused.",
            permission="potemkin:write",
            title="Add an authority to the library",
            idempotent=True,
            toolset=LIBRARY_TOOLSET,
        ),
        Operation.read(
            "authorities_list",
            library.page,
            "The firm's library of authorities, oldest first, a page at a time.",
            permission="potemkin:verify",
            title="List the library of authorities",
            toolset=LIBRARY_TOOLSET,
        ),
        Operation.destructive_write(
            "authorities_remove",
            library.remove,
            "Remove an authority from the firm's library (by its id from potemkin_authorities_list).",
            permission="potemkin:write",
            title="Remove an authority from the library",
            toolset=LIBRARY_TOOLSET,
        ),
    ]
