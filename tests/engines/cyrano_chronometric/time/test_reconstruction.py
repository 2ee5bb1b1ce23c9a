"""Reconstruction rules: durations per evidence, narratives, the day's cap and stable proposal ids."""

import datetime as dt

from cyrano_arkiver.api import AttachmentRef, MessageRecord
from cyrano_chronometric.time.reconstruction import (
    bare_address,
    completed_deadline,
    display_name,
    filed_document,
    message_evidence,
    propose_day,
    received_email,
    sent_email,
)

DAY = dt.date(2026, 3, 5)
NOON = dt.datetime(2026, 3, 5, 12, tzinfo=dt.UTC)


def test_addresses_and_names() -> None:
    assert bare_address("Leo Marsh <Leo@Marsh.example>") == "leo@marsh.example"
    assert bare_address(" ann@firm.example ") == "ann@firm.example"
    assert display_name('"Leo Marsh" <leo@marsh.example>') == "Leo Marsh"
    assert display_name("ann@firm.example") == "ann@firm.example"


def test_durations_by_evidence() -> None:
    assert sent_email("m1", NOON, ["a@x.example"], "Hi", 0).tenths == 2
    assert sent_email("m1", NOON, ["a@x.example"], "Hi", 2).tenths == 3
    assert received_email("m2", NOON, ["b@x.example"], "Hi").tenths == 1
    assert filed_document("d1", NOON, "a.pdf", 1).tenths == 2
    assert filed_document("d1", NOON, "a.pdf", 12).tenths == 4
    assert filed_document("d1", NOON, "a.pdf", 400).tenths == 20
    assert completed_deadline("k1", NOON, "Answer").tenths == 3
    assert sent_email("m1", NOON, [], "", 0).evidence_class == "direct"
    assert received_email("m2", NOON, [], "").evidence_class == "circumstantial"


def test_a_matters_proposal_adds_its_evidence_and_reads_plainly() -> None:
    sent = sent_email("m1", NOON, ["Leo Marsh <leo@marsh.example>"], "Closing documents", 2)
    read = filed_document("d9", NOON + dt.timedelta(hours=1), "lease.pdf", 12)
    day = propose_day("ann", DAY, 60, {"matter-1": [read, sent]})
    assert not day.capped
    (proposal,) = day.proposals
    assert proposal.tenths == 7
    assert (
        proposal.narrative == "E-mailed Leo Marsh re: Closing documents (2 attachments); reviewed lease.pdf (12 pages)"
    )


def test_the_day_is_capped_at_its_shortfall_direct_evidence_first() -> None:
    direct = [completed_deadline("k1", NOON, "Answer")]
    circumstantial = [filed_document("d1", NOON, "big.pdf", 200)]
    day = propose_day("ann", DAY, 5, {"b": circumstantial, "a": direct})
    assert day.capped
    assert [(proposal.matter_id, proposal.tenths) for proposal in day.proposals] == [("a", 3), ("b", 2)]
    none_left = propose_day("ann", DAY, 3, {"b": circumstantial, "a": direct})
    assert [proposal.matter_id for proposal in none_left.proposals] == ["a"]


def test_proposal_ids_are_stable_and_change_with_the_evidence() -> None:
    first = [received_email("m2", NOON, ["b@x.example"], "Hi")]
    again = propose_day("ann", DAY, 60, {"m": list(first)}).proposals[0].proposal_id
    assert propose_day("ann", DAY, 60, {"m": first}).proposals[0].proposal_id == again
    more = [*first, received_email("m3", NOON, ["b@x.example"], "Re: Hi")]
    assert propose_day("ann", DAY, 60, {"m": more}).proposals[0].proposal_id != again
    assert propose_day("bob", DAY, 60, {"m": first}).proposals[0].proposal_id != again


def _message(sender: str, to: list[str], cc: tuple[str, ...] = (), attachments: int = 0) -> MessageRecord:
    refs = [AttachmentRef(document_id=f"a{index}", filename=f"a{index}.pdf") for index in range(attachments)]
    return MessageRecord(
        document_id="m1", sent_at=NOON, sender=[sender], to=to, cc=list(cc), bcc=[], subject="Closing documents",
        message_id="<m1@x>", in_reply_to="", references=[], attachments=refs, skipped=[],
    )  # fmt: skip


def test_a_message_is_sent_received_or_nothing_to_the_user() -> None:
    mine = frozenset({"ann@firm.example"})
    sent = message_evidence(_message("Ann <Ann@Firm.example>", ["Leo Marsh <leo@x.example>"], attachments=2), mine)
    assert sent is not None and sent.evidence_class == "direct" and sent.tenths == 3
    assert sent.what == "E-mailed Leo Marsh re: Closing documents (2 attachments)"
    copied = message_evidence(_message("Leo Marsh <leo@x.example>", ["bob@firm.example"], ("ann@firm.example",)), mine)
    assert copied is not None and copied.kind == "email_received" and copied.what.startswith("read e-mail from Leo")
    assert message_evidence(_message("leo@x.example", ["bob@firm.example"]), mine) is None
