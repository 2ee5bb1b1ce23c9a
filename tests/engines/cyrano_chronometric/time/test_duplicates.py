"""Likely double entries: alike narratives and hours a day apart at most, one timekeeper, one matter."""

import datetime as dt

from cyrano_chronometric.time.duplicates import TimedWork, likely_doubles

DAY = dt.date(2026, 3, 2)


def _work(id: str, narrative: str, tenths: int = 10, days: int = 0, user: str = "a", matter: str = "m") -> TimedWork:
    return TimedWork(id, user, matter, DAY + dt.timedelta(days=days), tenths, narrative)


def test_the_same_work_twice_scores_highest_and_says_why() -> None:
    pairs = likely_doubles(
        [
            _work("1", "Reviewed lease and drafted notice"),
            _work("2", "reviewed lease, drafted notice", tenths=10),
            _work("3", "Reviewed lease and drafted notice", tenths=9, days=1),
            _work("4", "Deposition of the landlord"),
        ]
    )
    assert [(pair.first.id, pair.second.id) for pair in pairs] == [("1", "2"), ("1", "3"), ("2", "3")]
    assert pairs[0].score == 1.0 and pairs[0].reason == "the same day, narratives 100% alike, the same hours (1.0)"
    assert pairs[1].reason == "a day apart, narratives 100% alike, hours 1.0 and 0.9"
    assert pairs[1].score < pairs[0].score


def test_unlike_work_other_people_and_far_days_are_not_paired() -> None:
    assert (
        likely_doubles(
            [
                _work("1", "Call with client re lease"),
                _work("2", "Call with client re lease", user="b"),
                _work("3", "Call with client re lease", matter="n"),
                _work("4", "Call with client re lease", days=2),
                _work("5", "Call with client re lease", tenths=30),
                _work("6", "Drafted the summary judgment motion"),
            ]
        )
        == []
    )
