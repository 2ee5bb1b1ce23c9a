"""The local store: async engine, units of work, column types and migrations."""

from cyrano_mcp.store.database import Database
from cyrano_mcp.store.types import UTCDateTime, utc_now

__all__ = ["Database", "UTCDateTime", "utc_now"]
