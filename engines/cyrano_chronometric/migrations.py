"""Schema steps of Chronometric. Frozen: a released step is never edited, only followed by a new one."""

from cyrano_chronometric.tables import create_docket_tables
from cyrano_chronometric.time.tables import add_profile_emails, add_reconstruction, create_time_tables
from cyrano_mcp.kit import Migration


def migrations() -> list[Migration]:
    return [
        Migration(1, "the docket of deadlines and the firm's rules", create_docket_tables),
        Migration(2, "time entries and work profiles", create_time_tables),
        Migration(3, "a timekeeper's e-mail addresses in their work profile", add_profile_emails),
        Migration(4, "reconstructed entries' proposals and provenance; a timekeeper's time zone", add_reconstruction),
    ]
