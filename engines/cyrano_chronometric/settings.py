"""Chronometric's own settings, read from `CYRANO_CHRONOMETRIC_*` variables."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator

from cyrano_mcp.kit import EngineSettings


class ChronometricSettings(EngineSettings):
    chronometric_jurisdiction: str = Field(
        default="US",
        description='Whose holidays deadlines skip unless a call names another: "US" (federal), "US-NY" (federal '
        'and New York), "GB-ENG", ... (the holidays package\'s countries and subdivisions).',
    )
    chronometric_reminder_days: str = Field(
        default="7,1",
        description="Days before each open deadline the calendar export (.ics) reminds, comma-separated.",
    )
    chronometric_max_window_days: int = Field(
        default=3_660, ge=31, le=36_600, description="The longest period one listing of deadlines may span, in days."
    )
    chronometric_minimum_hours: float = Field(
        default=6.0,
        ge=0.1,
        le=24.0,
        multiple_of=0.1,
        description="Hours a working day should hold unless a timekeeper's work profile says (chronometric_gaps).",
    )

    chronometric_timezone: str = Field(
        default="UTC",
        description='The zone (IANA: "America/New_York") that tells which day an e-mail or a meeting falls on for '
        "time reconstruction, unless a timekeeper's work profile names theirs.",
    )

    @field_validator("chronometric_timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return known_zone(value)

    @field_validator("chronometric_reminder_days")
    @classmethod
    def _days(cls, value: str) -> str:
        parts = [part.strip() for part in value.split(",") if part.strip()]
        if not all(part.isdigit() and 0 <= int(part) <= 365 for part in parts):
            raise ValueError("must be whole numbers of days from 0 to 365, comma-separated")
        return ",".join(parts)

    @property
    def reminders(self) -> tuple[int, ...]:
        return tuple(sorted({int(part) for part in self.chronometric_reminder_days.split(",") if part}, reverse=True))


def known_zone(name: str) -> str:
    """The IANA zone name, or ValueError saying it is not one."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f'{name!r} is not a time zone the zone database knows (e.g. "America/New_York")') from None
    return name
