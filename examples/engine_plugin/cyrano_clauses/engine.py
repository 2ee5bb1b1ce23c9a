"""The engine's declaration: one operation, its own settings and permission, and Arkiver's search as a tool."""

from cyrano_clauses.permissions import CLAUSES
from cyrano_clauses.service import ClauseFinder
from cyrano_clauses.settings import ClausesSettings
from cyrano_mcp.kit import Engine, EngineContext, Operation, Parts


def build(context: EngineContext) -> Parts:
    finder = ClauseFinder(context.operations, context.settings(ClausesSettings))
    return Parts(
        operations=[
            Operation.read(
                "find",
                finder.find,
                "Where the documents (optionally of one matter) deal with a kind of clause: termination, "
                "confidentiality, governing law, assignment, indemnification, limitation of liability, non-compete "
                "or renewal. Each place gives the document, page, the phrasing found and the words around it.",
                permission="clauses:read",
                title="Find clauses",
            )
        ]
    )


ENGINE = Engine(
    name="clauses",
    description="Finds where documents deal with a kind of clause (an example third-party engine).",
    build=build,
    settings=ClausesSettings,
    permissions=(CLAUSES,),
)
