"""Potemkin's declaration: check what an AI wrote against the matter's documents, and the citations it gives."""

from cyrano_mcp.kit import Engine, EngineContext, Parts, Toolset
from cyrano_potemkin.permissions import POTEMKIN
from cyrano_potemkin.settings import PotemkinSettings


def build(_context: EngineContext) -> Parts:
    return Parts(operations=[])


ENGINE = Engine(
    name="potemkin",
    description="Checks AI-written text against the documents it rests on, and the citations it gives.",
    build=build,
    settings=PotemkinSettings,
    permissions=(POTEMKIN,),
    toolsets=(Toolset("potemkin", "Check AI-written text: claims against the documents, citations."),),
)
