"""What other engines may use of matters: `MattersReader` (require it), and the models it answers with.

    matters = context.require(MattersReader)
    await matters.ensure_open(matter_id, session=session)   # inside your own unit of work

Nothing else of this package is for other engines: its tables, sealed columns and service stay its own.
"""

from typing import Protocol, runtime_checkable

from sqlmodel.ext.asyncio.session import AsyncSession

from cyrano_matters.models import MatterId, MatterRecord, MatterStatus

__all__ = ["MatterId", "MatterRecord", "MatterStatus", "MattersReader"]


@runtime_checkable
class MattersReader(Protocol):
    async def find(self, matter_id: str) -> MatterRecord:
        """The matter, opened; `not_found` if there is none."""
        ...

    async def ensure_open(self, matter_id: str, *, session: AsyncSession | None = None) -> None:
        """`not_found` if there is no such matter, `conflict` if it is closed. With `session`, the check runs in
        that unit of work and holds the matter's row there, so it cannot be closed before the work commits."""
        ...

    async def open_ids(self) -> list[str]:
        """The ids of every open matter, oldest opened first: what a firm-wide pass over matters walks."""
        ...
