"""Worked examples of Federal Rule of Civil Procedure 6(a), each counted by hand from a printed calendar.

Every example names its trigger, the period, its direction, the court's jurisdiction ("US" for federal holidays
only, "US-NY" adds New York's), whether service was by mail (Rule 6(d): 3 days after the period would otherwise
expire), and the last day to act as worked out from the rule's text. `why` is the hand count, so a failure can be
checked against it. Legal holidays are the federal ones, observed days, the days the President closed the
government (Christmas Eve 2020, 2024 and 2025, the day after Christmas 2025, 2025-01-09), and for periods after an
event the state's own (6(a)(6)(C)).
"""

from dataclasses import dataclass
from datetime import date
from typing import Literal


@dataclass(frozen=True)
class Example:
    trigger: date
    count: int
    unit: Literal["day", "week", "month", "year"]
    direction: Literal["after", "before"]
    due: date
    why: str
    jurisdiction: str = "US"
    mail: bool = False


D = date
EXAMPLES: list[Example] = [
    # 2020
    Example(D(2020, 1, 6), 14, "day", "after", D(2020, 1, 21), "Jan 20 is MLK Day (Mon): Tue"),
    Example(D(2020, 2, 1), 1, "month", "after", D(2020, 3, 2), "Mar 1 is a Sunday: Mon"),
    Example(D(2020, 1, 31), 1, "month", "after", D(2020, 3, 2), "Feb has 29 days in 2020; Feb 29 is a Saturday"),
    Example(D(2020, 5, 4), 21, "day", "after", D(2020, 5, 26), "May 25 is Memorial Day"),
    Example(D(2020, 6, 12), 21, "day", "after", D(2020, 7, 6), "Jul 3 is Independence Day observed, then a weekend"),
    Example(D(2020, 7, 17), 14, "day", "before", D(2020, 7, 2), "Jul 3 observed holiday: back to Thu Jul 2"),
    Example(D(2020, 11, 5), 21, "day", "after", D(2020, 11, 27), "Nov 26 is Thanksgiving"),
    Example(D(2020, 12, 3), 21, "day", "after", D(2020, 12, 28), "Dec 24 closed by order, Dec 25, weekend"),
    Example(D(2021, 1, 15), 21, "day", "before", D(2020, 12, 23), "Dec 25, then Dec 24 closed by order: Wed"),
    # 2021
    Example(D(2021, 5, 28), 21, "day", "after", D(2021, 6, 21), "Jun 18 is Juneteenth observed, then a weekend"),
    Example(D(2021, 6, 14), 21, "day", "after", D(2021, 7, 6), "Jul 5 is Independence Day observed"),
    Example(D(2021, 12, 10), 21, "day", "after", D(2022, 1, 3), "Dec 31 is New Year's Day observed, then a weekend"),
    Example(D(2022, 1, 14), 14, "day", "before", D(2021, 12, 30), "Dec 31 observed holiday: back to Thu"),
    # 2022
    Example(D(2022, 6, 6), 14, "day", "after", D(2022, 6, 21), "Jun 20 is Juneteenth observed"),
    Example(D(2022, 11, 4), 7, "day", "after", D(2022, 11, 14), "Nov 11 is Veterans Day (Fri), then a weekend"),
    Example(D(2022, 12, 5), 21, "day", "after", D(2022, 12, 27), "Dec 26 is Christmas observed"),
    Example(D(2022, 12, 19), 2, "week", "after", D(2023, 1, 3), "Jan 2 is New Year's Day observed"),
    # 2023
    Example(D(2023, 6, 2), 5, "day", "before", D(2023, 5, 26), "May 28 is a Sunday: back past Saturday to Friday"),
    Example(D(2023, 5, 8), 21, "day", "after", D(2023, 5, 30), "May 29 is Memorial Day"),
    Example(D(2023, 10, 20), 21, "day", "after", D(2023, 11, 13), "Nov 10 is Veterans Day observed, then a weekend"),
    Example(D(2023, 11, 6), 14, "day", "after", D(2023, 11, 24), "Nov 20, +3 mail days is Thanksgiving", mail=True),
    Example(D(2023, 3, 31), 1, "month", "before", D(2023, 2, 28), "Feb 2023 has no 31st: Feb 28, a Tuesday"),
    # 2024
    Example(D(2024, 1, 31), 1, "month", "after", D(2024, 2, 29), "leap year: Feb 29, a Thursday"),
    Example(D(2024, 5, 6), 21, "day", "after", D(2024, 5, 28), "May 27 is Memorial Day"),
    Example(D(2024, 5, 29), 21, "day", "after", D(2024, 6, 20), "Jun 19 is Juneteenth (Wed)"),
    Example(D(2024, 12, 31), 7, "day", "before", D(2024, 12, 23), "Dec 24 closed by order: back to Mon"),
    Example(D(2024, 11, 7), 21, "day", "after", D(2024, 11, 29), "Nov 28 is Thanksgiving"),
    Example(D(2024, 3, 18), 14, "day", "after", D(2024, 4, 4), "Apr 1 (Mon), +3 mail days: Thu", mail=True),
    Example(D(2024, 1, 2), 90, "day", "after", D(2024, 4, 1), "29 + 29 + 31 + 1 days: Apr 1, a Monday"),
    # 2025
    Example(D(2025, 1, 2), 7, "day", "after", D(2025, 1, 10), "Jan 9 is the national day of mourning for Carter"),
    Example(D(2025, 12, 3), 21, "day", "after", D(2025, 12, 29), "Dec 24 closed, Dec 25, Dec 26 closed, weekend"),
    Example(D(2025, 6, 26), 7, "day", "before", D(2025, 6, 18), "Jun 19 is Juneteenth: back to Wed"),
    Example(D(2025, 5, 5), 21, "day", "after", D(2025, 5, 27), "May 26 is Memorial Day"),
    Example(D(2025, 7, 18), 14, "day", "before", D(2025, 7, 3), "Jul 4 (Fri): back to Thu"),
    Example(D(2025, 11, 6), 21, "day", "after", D(2025, 11, 28), "Nov 27 is Thanksgiving"),
    Example(D(2025, 11, 3), 21, "day", "after", D(2025, 11, 28), "Nov 24, +3 mail days is Thanksgiving", mail=True),
    # 2026
    Example(D(2026, 2, 28), 21, "day", "after", D(2026, 3, 23), "Mar 21 is a Saturday: Mon"),
    Example(D(2026, 5, 3), 21, "day", "after", D(2026, 5, 26), "May 24 is a Sunday, May 25 Memorial Day: Tue"),
    Example(D(2026, 4, 19), 14, "day", "before", D(2026, 4, 3), "Apr 5 is a Sunday: back to Fri Apr 3"),
    Example(D(2026, 5, 29), 21, "day", "after", D(2026, 6, 22), "Jun 19 is Juneteenth (Fri), then a weekend"),
    Example(D(2026, 6, 12), 21, "day", "after", D(2026, 7, 6), "Jul 3 is Independence Day observed, then a weekend"),
    Example(D(2026, 6, 16), 14, "day", "after", D(2026, 7, 6), "Jun 30, +3 mail days is Jul 3 (observed)", mail=True),
    Example(D(2026, 3, 5), 14, "day", "after", D(2026, 3, 23), "Mar 19, +3 mail days is a Sunday", mail=True),
    Example(D(2026, 3, 7), 14, "day", "after", D(2026, 3, 26), "Mar 21 (Sat) runs to Mon 23, then +3", mail=True),
    Example(D(2026, 11, 5), 21, "day", "after", D(2026, 11, 27), "Nov 26 is Thanksgiving"),
    Example(D(2026, 11, 5), 21, "day", "after", D(2026, 11, 30), "Texas also closes Nov 27", jurisdiction="US-TX"),
    Example(D(2026, 1, 22), 21, "day", "after", D(2026, 2, 12), "Feb 12 is only a New York holiday"),
    Example(D(2026, 1, 22), 21, "day", "after", D(2026, 2, 13), "Lincoln's Birthday in NY", jurisdiction="US-NY"),
    Example(
        D(2026, 2, 26), 14, "day", "before", D(2026, 2, 12), "6(a)(6)(C): no state days back", jurisdiction="US-NY"
    ),
    Example(D(2026, 3, 30), 21, "day", "after", D(2026, 4, 21), "Apr 20 is Patriots' Day", jurisdiction="US-MA"),
    Example(D(2026, 8, 17), 21, "day", "after", D(2026, 9, 8), "Sep 7 is Labor Day"),
    Example(D(2026, 5, 31), 3, "month", "before", D(2026, 2, 27), "Feb 28 (cut from 31st) is a Saturday: back to Fri"),
    Example(D(2026, 7, 3), 1, "year", "after", D(2027, 7, 6), "2027-07-03 Sat, 4 Sun, 5 observed: Tue"),
    Example(D(2026, 1, 1), 2, "year", "after", D(2028, 1, 3), "2028-01-01 is a Saturday and a holiday: Mon"),
    # 2027
    Example(D(2027, 5, 28), 21, "day", "after", D(2027, 6, 21), "Jun 18 is Juneteenth observed, then a weekend"),
    Example(D(2027, 7, 19), 14, "day", "before", D(2027, 7, 2), "Jul 5 observed, then the weekend: back to Fri"),
    Example(D(2027, 12, 10), 21, "day", "after", D(2028, 1, 3), "Dec 31 is New Year's Day observed, then a weekend"),
    Example(D(2028, 1, 7), 14, "day", "before", D(2027, 12, 23), "Dec 24 is Christmas observed: back to Thu"),
    # 2028
    Example(D(2028, 2, 29), 1, "year", "after", D(2029, 2, 28), "2029 has no Feb 29: Feb 28, a Wednesday"),
    Example(D(2028, 5, 8), 21, "day", "after", D(2028, 5, 30), "May 29 is Memorial Day"),
    Example(D(2028, 10, 20), 21, "day", "after", D(2028, 11, 13), "Nov 10 is Veterans Day observed, then a weekend"),
    Example(D(2028, 6, 26), 7, "day", "before", D(2028, 6, 16), "Jun 19 (Mon), then the weekend: back to Fri"),
    # 2029
    Example(D(2029, 10, 22), 21, "day", "after", D(2029, 11, 13), "Nov 12 is Veterans Day observed"),
    Example(D(2029, 5, 7), 21, "day", "after", D(2029, 5, 29), "May 28 is Memorial Day"),
    Example(D(2029, 11, 5), 14, "day", "after", D(2029, 11, 23), "Nov 19, +3 mail days is Thanksgiving", mail=True),
    Example(D(2029, 6, 5), 2, "week", "after", D(2029, 6, 20), "Jun 19 is Juneteenth (Tue)"),
    # 2030
    Example(D(2030, 1, 7), 14, "day", "after", D(2030, 1, 22), "Jan 21 is MLK Day"),
    Example(D(2030, 5, 6), 21, "day", "after", D(2030, 5, 28), "May 27 is Memorial Day"),
    Example(D(2030, 7, 11), 7, "day", "before", D(2030, 7, 3), "Jul 4 (Thu): back to Wed"),
    Example(D(2030, 11, 7), 21, "day", "after", D(2030, 11, 29), "Nov 28 is Thanksgiving"),
    Example(D(2030, 12, 30), 1, "month", "before", D(2030, 11, 29), "Nov 30 is a Saturday: back to Fri"),
    Example(D(2030, 10, 31), 30, "day", "before", D(2030, 10, 1), "Oct 1 is a Tuesday: no move"),
]
