"""Check Chronometric's Rule 6(a) counting against the hand-counted examples in bench/frcp_6a_examples.py.

    cd bench && ../.venv/bin/python chronometric_counting.py

Prints "FRCP 6(a) examples: N/N right", then each example whose computed last day differs from the hand count,
with the hand count's reasoning and the computation's own explanation. Exits 1 if any is wrong.
"""

import sys

from frcp_6a_examples import EXAMPLES, Example

from cyrano_chronometric.counting import Computation, Period, compute
from cyrano_chronometric.work_calendar import calendar_for


def computed(example: Example) -> Computation:
    """The example run through `compute` with Rule 6(a)."""
    return compute(
        example.trigger,
        Period(count=example.count, unit=example.unit),
        method="frcp_6a",
        direction=example.direction,
        calendar=calendar_for(example.jurisdiction),
        service_by_mail=example.mail,
    )


def wrong_examples() -> list[tuple[Example, Computation]]:
    """Each example whose computed last day is not the hand-counted one, with what was computed."""
    results = [(example, computed(example)) for example in EXAMPLES]
    return [(example, result) for example, result in results if result.due != example.due]


def main() -> int:
    wrong = wrong_examples()
    print(f"FRCP 6(a) examples: {len(EXAMPLES) - len(wrong)}/{len(EXAMPLES)} right")
    for example, result in wrong:
        asked = f"{example.count} {example.unit}(s) {example.direction} {example.trigger} in {example.jurisdiction}"
        mail = ", served by mail" if example.mail else ""
        print(f"  {asked}{mail}: expected {example.due} ({example.why}), computed {result.due}: {result.explanation}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
