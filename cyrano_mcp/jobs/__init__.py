"""Background jobs: work that outlives a tool call, kept in the store, run by a bounded pool per process.

An engine declares `JobKind`s (see `cyrano_mcp.engine`) and submits work with `context.jobs.submit(...)`;
the `jobs` component owns the tables and the tools that follow and stop jobs (`jobs_status`, `jobs_list`,
`jobs_cancel`), whatever engine started them.
"""

from cyrano_mcp.jobs.migrations import migrations
from cyrano_mcp.jobs.models import JobList, JobListRequest, JobRef, JobReport, JobStatusRequest
from cyrano_mcp.jobs.permissions import JOBS
from cyrano_mcp.jobs.runner import JobRunner
from cyrano_mcp.jobs.seals import JobSeals
from cyrano_mcp.jobs.service import JobService
from cyrano_mcp.kit.declarations import Engine, Operation, Parts
from cyrano_mcp.kit.jobs import JobRecord, JobSubmitted, NewItem
from cyrano_mcp.kit.toolsets import Toolset

__all__ = ["JobRecord", "JobRunner", "JobSeals", "JobService", "JobSubmitted", "NewItem", "jobs_component"]


def jobs_component(service: JobService) -> Engine:
    async def cancel(params: JobRef) -> JobRecord:
        return await service.cancel(params.job_id)

    parts = Parts(
        operations=[
            Operation(
                name="status",
                title="Follow a job",
                description="A job's progress (items pending, running, done, failed, cancelled) and its items with "
                "their results and errors. With wait_seconds, waits for the job to finish (sending progress "
                "notifications) and answers when it does or when the time is up.",
                input_model=JobStatusRequest,
                output_model=JobReport,
                handler=service.report,
                permission="jobs:read",
                read_only=True,
                idempotent=True,
            ),
            Operation(
                name="list",
                title="List jobs",
                description="Jobs, newest first, optionally only running, completed or cancelled ones, or of one kind.",
                input_model=JobListRequest,
                output_model=JobList,
                handler=service.list,
                permission="jobs:read",
                read_only=True,
                idempotent=True,
            ),
            Operation(
                name="cancel",
                title="Cancel a job",
                description="Stop a job: items not yet started are cancelled; items already running finish. "
                "Cancelling a finished job changes nothing.",
                input_model=JobRef,
                output_model=JobRecord,
                handler=cancel,
                permission="jobs:write",
                destructive=True,  # ends work a caller started; what ran stays done
                idempotent=True,
            ),
        ],
        migrations=migrations(service.seals),
    )
    return Engine(
        name="jobs",
        description="Background jobs: long work (such as a batch of documents) that runs after the tool that "
        "started it has answered, survives restarts, and retries what failed for a passing reason.",
        build=lambda _context: parts,
        permissions=[JOBS],
        toolsets=[Toolset("jobs", "Follow and stop background work, such as a folder being ingested.")],
    )
