"""The `matters` module: the client matters that every document, timeline and workflow hangs off."""

from cyrano_matters.migrations import migrations
from cyrano_matters.models import (
    MatterClose,
    MatterCreate,
    MatterGet,
    MatterListQuery,
    MatterPage,
    MatterRecord,
    MatterReopen,
    MatterUpdate,
)
from cyrano_matters.seals import matter_seals
from cyrano_matters.service import MattersService
from cyrano_mcp.engine import Engine, EngineContext, Operation, ResourceTemplate

__all__ = ["MattersService", "create_engine"]


def create_engine(context: EngineContext) -> Engine:
    fields = context.require_fields()
    seals = matter_seals(fields, context.database)
    fields.index(seals.responsible_attorney)
    service = MattersService(context.database, seals)

    async def get(params: MatterGet) -> MatterRecord:
        return await service.get(params.matter_id)

    async def read_matter(matter_id: str) -> str:
        matter = await service.get(MatterGet(matter_id=matter_id).matter_id)
        return matter.model_dump_json(indent=2)

    return Engine(
        name="matters",
        description="Client matters: who the client is, what the matter is about, who is responsible, "
        "and whether it is open.",
        migrations=migrations(seals),
        operations=[
            Operation(
                name="create",
                title="Open a new matter",
                description="Open a new matter for a client. Returns the matter with its id, which other "
                "tools take as matter_id.",
                input_model=MatterCreate,
                output_model=MatterRecord,
                handler=service.create,
                permission="matters:write",
            ),
            Operation(
                name="get",
                title="Read a matter",
                description="Read one matter by its id.",
                input_model=MatterGet,
                output_model=MatterRecord,
                handler=get,
                permission="matters:read",
                read_only=True,
                idempotent=True,
            ),
            Operation(
                name="list",
                title="Find matters",
                description="List matters, newest opened first by default, filtered by status, client, "
                "practice area, attorney, words in the title, or opening dates; pages of up to 100 with a cursor.",
                input_model=MatterListQuery,
                output_model=MatterPage,
                handler=service.list,
                permission="matters:read",
                read_only=True,
                idempotent=True,
            ),
            Operation(
                name="update",
                title="Change a matter",
                description="Change some fields of an open matter; only the fields given change. Pass "
                "expected_version to refuse the change if someone else changed the matter first.",
                input_model=MatterUpdate,
                output_model=MatterRecord,
                handler=service.update,
                permission="matters:write",
            ),
            Operation(
                name="close",
                title="Close a matter",
                description="Close an open matter on a date (today by default), optionally adding a closing "
                "note to its notes.",
                input_model=MatterClose,
                output_model=MatterRecord,
                handler=service.close,
                permission="matters:write",
            ),
            Operation(
                name="reopen",
                title="Reopen a matter",
                description="Reopen a closed matter.",
                input_model=MatterReopen,
                output_model=MatterRecord,
                handler=service.reopen,
                permission="matters:write",
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
    )
