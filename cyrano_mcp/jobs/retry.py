"""Which failures of a job item are worth another attempt, and how long to wait before it."""

import random

from cyrano_mcp.errors import DomainError, RateLimitedError, UnavailableError


def is_transient(exc: BaseException) -> bool:
    """A dependency that is down or busy may come back; a refused input or a missing thing will not.

    An unexpected exception (a bug, or a failure nobody classified) is retried too: attempts are bounded,
    and the item then fails with its reason while the rest of the job goes on.
    """
    if isinstance(exc, UnavailableError | RateLimitedError):
        return True
    return not isinstance(exc, DomainError)


def backoff(attempt: int, *, base: float, cap: float) -> float:
    """Seconds to wait after failed attempt number `attempt` (1, 2, ...): exponential, capped, jittered.

    The jitter (half to all of the delay) keeps items that failed together from retrying in lockstep.
    """
    delay: float = min(cap, base * 2.0 ** (attempt - 1))
    return delay * random.uniform(0.5, 1.0)
