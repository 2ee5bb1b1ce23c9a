"""Potemkin's declaration: check what an AI wrote against the matter's documents, and the citations it gives."""

from cyrano_matters.api import MattersReader
from cyrano_mcp.kit import Engine, EngineContext, Operation, Parts, Toolset
from cyrano_potemkin.citations.tools import CITATIONS_TOOLSETS, citation_operations
from cyrano_potemkin.migrations import MIGRATIONS
from cyrano_potemkin.permissions import POTEMKIN
from cyrano_potemkin.prompts import potemkin_prompts
from cyrano_potemkin.service import VerifyService
from cyrano_potemkin.settings import PotemkinSettings


def build(context: EngineContext) -> Parts:
    settings = context.settings(PotemkinSettings)
    verifier = VerifyService(context.operations, context.require(MattersReader), context.llm, settings)
    return Parts(
        operations=[
            Operation.read(
                "verify",
                verifier.verify,
                "Check AI-written text (an answer, summary or draft) against stored documents before relying on it: "
                "each claim supported, contradicted or unverifiable, with the source's page and quote, and for a "
                "contradiction the value the source gives. Offline unless use_model; `contradicted` lists the claims "
                "to read first.",
                permission="potemkin:verify",
                title="Check a text against its sources",
                open_world=True,
            ),
            # potemkin_citations and the firm's library of authorities (potemkin_authorities_*).
            *citation_operations(context, settings),
        ],
        prompts=potemkin_prompts(verifier),
        migrations=MIGRATIONS,
    )


ENGINE = Engine(
    name="potemkin",
    description="Checks AI-written text against the documents it rests on, and the citations it gives.",
    build=build,
    settings=PotemkinSettings,
    permissions=(POTEMKIN,),
    requires=(MattersReader,),
    toolsets=(
        Toolset("potemkin", "Check AI-written text: claims against the documents, citations."),
        *CITATIONS_TOOLSETS,
    ),
)
