"""Stand-ins for time, so tests about waiting and cooling down need not wait."""

from dataclasses import dataclass, field


@dataclass
class Naps:
    """Stands in for `anyio.sleep`: records each wait asked for, and returns at once."""

    waits: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@dataclass
class ManualClock:
    """A monotonic clock that moves only when the test moves it."""

    now: float = 1000.0

    def __call__(self) -> float:
        return self.now
