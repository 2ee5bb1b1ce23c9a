"""The quotation check: which quoted words are quotations, and whether the sources say them word for word."""

import json
import time
from collections import Counter

import pytest

from cyrano_potemkin.quote_check import QuotationSources, check_quotation, check_quotations
from cyrano_potemkin.quotes import find_quotations, parse_quotation
from cyrano_potemkin.sources import SourceDocument
from tests.conftest import shared_data

PAGE_ONE = (
    "Confidential\nARTICLE 5 PAYMENT\n\n5.1 The Licensee shall pay the royalties within thirty (30) days after the "
    "end of each "
    "calendar\nquarter, and the Licensor may audit the Licensee's books once per year. Either party may termi-\n"
    "nate this Agreement upon ninety (90) days' written notice to the other party. The\n\nPage 1 of 2\n"
)
PAGE_TWO = (
    "Confidential\nparties' obligations under Section 7 shall survive any termination or expiration of "
    "this Agreement. IN NO EVENT SHALL EITHER PARTY BE LIABLE FOR ANY CONSEQUENTIAL DAMAGES.\n"
)
LICENCE = SourceDocument(document_id="licence", name="Licence Agreement", pages=[PAGE_ONE, PAGE_TWO])
OTHER = SourceDocument(
    document_id="lease", name="Lease", pages=["The Tenant shall keep the premises in good repair at all times."]
)


def check(quoted: str):  # type: ignore[no-untyped-def]
    return check_quotation(quoted, [OTHER, LICENCE])


def test_a_quotation_typed_with_other_spacing_and_marks_is_exact() -> None:
    result = check("the  Licensee’s books once\nper year. Either party may terminate this Agreement")

    assert result.status == "exact"
    assert result.changes == []
    [evidence] = result.evidence
    assert evidence.document_id == "licence"
    assert evidence.page == 1
    assert evidence.role == "supports"
    assert evidence.quote == "the Licensee's books once per year. Either party may termi-\nnate this Agreement"


def test_a_word_hyphenated_across_a_line_matches_the_whole_word() -> None:
    result = check("may terminate this Agreement upon ninety (90) days’ written notice")

    assert result.status == "exact"
    assert "termi-\nnate" in result.evidence[0].quote


def test_evidence_is_the_page_text_at_its_offsets() -> None:
    for quoted in ("calendar quarter, and the Licensor may audit", "The Licensee may pay the royalties within"):
        for evidence in check(quoted).evidence:
            page = LICENCE.pages[evidence.page - 1]
            assert page[evidence.start : evidence.end] == evidence.quote


def test_a_changed_modal_is_close_with_that_change() -> None:
    result = check("The Licensee may pay the royalties within thirty (30) days")

    assert result.status == "close"
    assert [(change.quoted, change.source) for change in result.changes] == [("may", "shall")]
    assert result.evidence[0].quote == "The Licensee shall pay the royalties within thirty (30) days"
    assert result.evidence[0].role == "contradicts"
    assert result.as_check().status == "close"


def test_ellipses_leave_out_words_and_stay_exact() -> None:
    for quoted in (
        "The Licensee shall pay . . . after the end of each calendar quarter",
        "The Licensee shall pay the royalties... each calendar quarter…Either party may terminate this Agreement",
        "[t]he Licensee shall pay [its royalties] within thirty (30) days",
    ):
        assert check(quoted).status == "exact", quoted


@pytest.mark.parametrize(
    ("quoted", "changes"),
    [
        ("the Licensor may not audit the Licensee's books once per year", [("not", "")]),
        ("obligations under Section 7 shall survive termination or expiration of this Agreement", [("", "any")]),
        ("pay the royalties within sixty (60) days after the end", [("sixty 60", "thirty 30")]),
        ("The Licensee shall pay ... after the end of each fiscal quarter", [("fiscal", "calendar")]),
        (
            "The licensee shall pay the Royalties within thirty (30) days",
            [("licensee", "Licensee"), ("Royalties", "royalties")],
        ),
        ("In . . . event shall either party be liable for any consequential damages", [("…", "NO")]),
    ],
    ids=[
        "inserted not",
        "dropped word",
        "changed number",
        "change after an ellipsis",
        "changed case",
        "negation hidden by an ellipsis",
    ],
)
def test_an_altered_quotation_is_close_with_its_changes(quoted: str, changes: list[tuple[str, str]]) -> None:
    result = check(quoted)

    assert result.status == "close"
    assert [(change.quoted, change.source) for change in result.changes] == changes


def test_a_quotation_across_a_page_break_gives_evidence_on_both_pages() -> None:
    result = check("ninety (90) days' written notice to the other party. The parties' obligations under Section 7")

    assert result.status == "exact"
    assert [(e.page, e.quote) for e in result.evidence] == [
        (1, "ninety (90) days' written notice to the other party. The"),
        (2, "parties' obligations under Section 7"),
    ]


def test_case_may_change_where_quoting_conventions_change_it() -> None:
    assert check("in no event shall either party be liable for any consequential damages").status == "exact"
    assert check("the Licensee shall pay the royalties within thirty (30) days").status == "exact"
    assert check("[t]he Licensee shall pay the royalties within thirty (30) days").status == "exact"


def test_a_paraphrase_is_not_found() -> None:
    result = check("the licensee has to remit its fees no later than a month after each quarter ends")

    assert result.status == "not_found"
    assert result.evidence == []


def test_the_sources_are_indexed_once_for_many_quotations() -> None:
    sources = QuotationSources([OTHER, LICENCE])

    assert check_quotation("keep the premises in good repair", sources).evidence[0].document_id == "lease"
    assert check_quotation("keep the premises in bad repair", sources).status == "close"


def test_a_text_s_quotations_are_checked_in_order() -> None:
    text = (
        'The licence provides that "the Licensee shall pay the royalties within sixty (60) days" and that the '
        "Licensor 'may audit the Licensee's books once per year'; it calls itself the “Agreement”."
    )

    checked = check_quotations(text, [LICENCE])

    assert [(quotation.words, result.status) for quotation, result in checked] == [
        ("the Licensee shall pay the royalties within sixty (60) days", "close"),
        ("may audit the Licensee's books once per year", "exact"),
    ]


def test_quotations_are_the_quoted_strings_of_four_words_or_more() -> None:
    text = (
        "Under the Agreement (the “Agreement”), the licence says “the Licensee shall pay the royalties” and "
        '"either party may terminate this Agreement" within ("Licensee") the "Effective Date".'
    )

    found = find_quotations(text)

    assert [q.words for q in found] == [
        "the Licensee shall pay the royalties",
        "either party may terminate this Agreement",
    ]
    assert all(text[q.start : q.end] == q.words for q in found)


@pytest.mark.parametrize(
    ("text", "quotations"),
    [
        (
            "The Licensee's duty and the parties' rights don't change; the Licensor's audit isn't limited.",
            [],
        ),
        (
            "It says 'the parties' obligations under Section 7 shall survive' and ‘the Licensee’s books once per "
            "year’.",
            ["the parties' obligations under Section 7 shall survive", "the Licensee’s books once per year"],
        ),
        (
            "It is the employees' right and the directors' duty to 'act in good faith at all times' under the plan.",
            ["act in good faith at all times"],
        ),
        (
            "The 1990s' rules and 'the rules of the road apply to all vehicles' as written.",
            ["the rules of the road apply to all vehicles"],
        ),
        ('Section 4 says "the Supplier shall deliver the goods " and more.', ["the Supplier shall deliver the goods"]),
    ],
    ids=["apostrophes only", "single quotes around apostrophes", "possessives before", "decade", "space before"],
)
def test_apostrophes_are_not_quotation_marks(text: str, quotations: list[str]) -> None:
    assert [q.words for q in find_quotations(text)] == quotations


def test_nested_quotes_belong_to_the_outer_quotation() -> None:
    text = "Section 1 reads: “the term ‘Licensed Products’ means the products listed in Exhibit A”."

    assert [q.words for q in find_quotations(text)] == [
        "the term ‘Licensed Products’ means the products listed in Exhibit A"
    ]


def test_aliases_in_parentheses_are_not_quotations() -> None:
    text = 'Acme Inc. ("Intellectual Property Holding Company of America") agrees.'

    assert find_quotations(text) == []


def test_ellipses_and_brackets_split_a_quotation_into_pieces() -> None:
    pieces = parse_quotation("[T]he Licensee shall pay . . . within [sixty] days")

    assert [[w.raw for w in piece.words] for piece in pieces] == [
        ["[T]he", "Licensee", "shall", "pay"],
        ["within"],
        ["days"],
    ]
    assert [piece.gap_before for piece in pieces] == [0, 80, 6]
    assert pieces[0].words[0].kept == ("", "he")


_CONTRACTS = 12


def test_real_contract_sentences_quoted_verbatim_are_exact_and_altered_never() -> None:
    """Sentences of real contracts as an AI retypes them (bench/quotations.py draws them, seeded)."""
    import quotations as bench  # bench/quotations.py (tests/conftest.py puts bench/ on the path)

    lines = shared_data("cuad_dev.jsonl").read_text().splitlines()[:_CONTRACTS]
    documents = [bench.document_of(json.loads(line)) for line in lines]
    statuses: Counter[tuple[str, str]] = Counter()
    for index, document in enumerate(documents):
        matter = [document, documents[(index + 1) % len(documents)]]
        foreign = documents[(index + 2) % len(documents)]
        sources = QuotationSources(matter)
        for case in bench.quotation_cases(document, 4, foreign, matter):
            statuses[(case.kind, check_quotation(case.quoted, sources).status)] += 1

    def rate(kind: str, status: str) -> float:
        return statuses[(kind, status)] / sum(n for (k, _), n in statuses.items() if k == kind)

    assert sum(statuses.values()) >= 5 * 4 * _CONTRACTS - 10
    assert rate("unaltered", "exact") == 1.0
    assert rate("elided", "exact") == 1.0
    assert rate("altered", "exact") == 0.0
    assert rate("altered", "close") >= 0.9
    assert rate("shuffled", "not_found") >= 0.9
    assert rate("foreign", "exact") == 0.0
    assert rate("foreign", "not_found") >= 0.9


def test_a_clause_repeated_with_one_word_changed_is_found_where_it_is_exact() -> None:
    clause = "The {party} shall maintain insurance coverage with reputable insurers during the term. "
    pages = ["".join(clause.format(party=party) for party in ("Licensor", "Distributor", "Agent", "Licensee"))]
    repeated = SourceDocument(document_id="repeated", name="Repeated", pages=pages)

    result = check_quotation("the Licensee shall maintain insurance coverage with reputable insurers", [repeated])

    assert result.status == "exact"
    assert result.evidence[0].quote == "The Licensee shall maintain insurance coverage with reputable insurers"


def test_a_long_quotation_is_checked_in_linear_time() -> None:
    sentences = [f"Clause {n} requires the party numbered {n} to deliver report {n} on time." for n in range(400)]
    long_document = SourceDocument(document_id="long", name="Long", pages=[" ".join(sentences)])
    quoted = (
        " ".join(sentences[:300]).replace("report 150 on", "report 151 on").replace("Clause 10 requires", "requires")
    )

    started = time.process_time()
    result = check_quotation(quoted, [long_document])

    assert time.process_time() - started < 2
    assert result.status == "close"
    assert [(c.quoted, c.source) for c in result.changes] == [("", "Clause 10"), ("151", "150")]


def test_only_running_headers_and_page_numbers_may_be_left_out_at_a_page_break() -> None:
    pages = [
        "Terms\nThe obligations in this clause survive the termination of\nthis Agreement.\n",
        "Terms\nNothing else.",
    ]
    document = SourceDocument(document_id="short-lines", name="Short lines", pages=pages)

    assert check_quotation("termination of this Agreement. Nothing else", [document]).status == "exact"
    dropped = check_quotation("survive the termination of Agreement. Nothing else", [document])
    assert dropped.status == "close"
    assert [(c.quoted, c.source) for c in dropped.changes] == [("", "this")]
