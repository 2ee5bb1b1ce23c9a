"""The per-user ledger of open MCP sessions, on a clock the test moves."""

from cyrano_mcp.security.http_sessions import SessionLedger


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_user_gets_so_many_sessions_and_each_user_their_own() -> None:
    ledger = SessionLedger(per_owner=2, idle_seconds=60, clock=Clock())
    first, second = ledger.open("alice"), ledger.open("alice")
    assert first is not None and second is not None
    assert ledger.open("alice") is None
    assert ledger.open("bob") is not None


def test_an_opening_request_that_got_no_session_leaves_no_trace() -> None:
    ledger = SessionLedger(per_owner=1, idle_seconds=60, clock=Clock())
    refused = ledger.open("alice")
    assert refused is not None
    ledger.leave("alice", refused, ended=False)  # never given an id: an initialize the SDK refused
    assert ledger.open("alice") is not None


def test_idle_sessions_expire_with_the_sdks_rule_and_retry_after_says_when() -> None:
    clock = Clock()
    ledger = SessionLedger(per_owner=1, idle_seconds=60, clock=clock)
    use = ledger.open("alice")
    assert use is not None
    use.session_id = "s1"
    ledger.leave("alice", use, ended=False)
    clock.now += 45
    assert ledger.open("alice") is None and ledger.retry_after("alice") == 15
    in_session = ledger.enter("alice", "s1")  # a request in flight keeps the session alive however long
    assert in_session is use and ledger.enter("bob", "s1") is None
    clock.now += 600
    assert ledger.open("alice") is None
    ledger.leave("alice", use, ended=False)
    clock.now += 60
    assert ledger.enter("alice", "s1") is None  # expired, as the SDK has expired it
    assert ledger.open("alice") is not None


def test_a_session_ended_by_its_client_frees_its_place_at_once() -> None:
    ledger = SessionLedger(per_owner=1, idle_seconds=60, clock=Clock())
    use = ledger.open("alice")
    assert use is not None
    use.session_id = "s1"
    ledger.leave("alice", use, ended=False)
    ending = ledger.enter("alice", "s1")
    assert ending is not None
    ledger.leave("alice", ending, ended=True)
    assert ledger.open("alice") is not None
