"""The matters module's declaration: the client matters that every document, deadline and workflow hangs off."""

from cyrano_matters.api import MattersReader
from cyrano_matters.migrations import migrations
from cyrano_matters.models import MatterGet, MatterListQuery
from cyrano_matters.permissions import MATTERS
from cyrano_matters.seals import matter_seals
from cyrano_matters.service import MattersService
from cyrano_mcp.kit import (
    Engine,
    EngineContext,
    ListedResource,
    ListingPage,
    ListingRequest,
    Operation,
    Parts,
    ResourceListing,
    ResourceTemplate,
    Toolset,
)


def build(context: EngineContext) -> Parts:
    seals = matter_seals(context.fields, context.database)
    context.fields.index(seals.responsible_attorney)
    service = MattersService(context.database, seals)

    async def read_matter(matter_id: str) -> str:
        matter = await service.find(MatterGet(matter_id=matter_id).matter_id)
        return matter.model_dump_json(indent=2)

    async def recent_matters(request: ListingRequest) -> ListingPage:
        page = await service.list(MatterListQuery(order_by="updated_at", limit=request.limit, cursor=request.cursor))
        listed = [
            ListedResource(
                uri=f"cyrano://matters/{matter.id}",
                name=matter.reference or matter.title,
                title=f"{matter.client_name}: {matter.title}",
                description=f"{matter.status} {matter.practice_area} matter, opened {matter.opened_on:%Y-%m-%d}",
            )
            for matter in page.items
        ]
        return ListingPage(resources=listed, next_cursor=page.next_cursor)

    return Parts(
        migrations=migrations(seals),
        provides={MattersReader: service},
        operations=[
            Operation.write(
                "create",
                service.create,
                "Open a new matter for a client. Returns the matter with its id, which other tools take as matter_id.",
                permission="matters:write",
                title="Open a new matter",
            ),
            Operation.read(
                "get", service.get, "Read one matter by its id.", permission="matters:read", title="Read a matter"
            ),
            Operation.read(
                "list",
                service.list,
                "List matters, newest opened first by default, filtered by status, client, practice area, attorney, "
                "words in the title, or opening dates; pages of ten (up to 100) with a cursor.",
                permission="matters:read",
                title="Find matters",
            ),
            Operation.destructive_write(
                "update",
                service.update,
                "Change some fields of an open matter; only the fields given change. Pass expected_version to refuse "
                "the change if someone else changed the matter first.",
                permission="matters:write",
                title="Change a matter",
            ),
            Operation.destructive_write(
                "close",
                service.close,
                "Close an open matter on a date (today by default), optionally adding a closing note to its notes.",
                permission="matters:write",
                title="Close a matter",
            ),
            Operation.write(
                "reopen", service.reopen, "Reopen a closed matter.", permission="matters:write", title="Reopen a matter"
            ),
        ],
        resources=[
            ResourceTemplate(
                uri_template="cyrano://matters/{matter_id}",
                name="matter",
                description="One matter, as JSON.",
                handler=read_matter,
                permission="matters:read",
            )
        ],
        listings=[
            ResourceListing(
                "matters", "Matters, most recently changed first.", handler=recent_matters, permission="matters:read"
            )
        ],
    )


ENGINE = Engine(
    name="matters",
    description="Client matters: who the client is, what the matter is about, who is responsible, and whether it "
    "is open.",
    build=build,
    provides=(MattersReader,),
    permissions=(MATTERS,),
    toolsets=(Toolset("matters", "Open, find, change and close client matters."),),
)
