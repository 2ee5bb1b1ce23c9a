"""Schema steps of Potemkin. Frozen: a released step is never edited, only followed by a new one."""

from cyrano_mcp.kit import Migration
from cyrano_potemkin.alerts.tables import create_alert_tables
from cyrano_potemkin.archive_tables import create_archive_tables
from cyrano_potemkin.citations.library import create_authorities_table


def migrations() -> list[Migration]:
    return [
        Migration(1, "alerts and their thresholds", create_alert_tables),
        Migration(2, "the library of authorities", create_authorities_table),
        Migration(3, "the archive of model answers and the probes", create_archive_tables),
    ]
