"""How bench/extraction.py scores Arkiver's insights against CUAD's gold answers (see its docstring for the rules).

Everything here is per contract: `score_record` returns one `Score` per field, and scores add up, so a fold, a set
or the whole corpus is the sum of its contracts.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, utils
from stats import PrecisionRecall

from cyrano_arkiver.extraction import Insights
from cyrano_arkiver.extraction.models import Duration, TermClause

# "parties" is scored twice: by the lenient matcher the figures were first reported with, and by the strict one.
FIELDS = ["parties", "parties_strict", "agreement_date", "effective_date", "expiration_date", "governing_law",
          "renewal_term", "notice_period"]  # fmt: skip
LENIENT_THRESHOLD = 85
STRICT_THRESHOLD = 90
# Legal-form words, compared without dots ("L.L.C." is "llc"); only trailing ones are dropped, so the "Company" of
# "Insurance Company of America" stays.
CORPORATE_SUFFIXES = frozenset(
    ["inc", "incorporated", "corp", "corporation", "llc", "llp", "lllp", "lp", "ltd", "limited", "co", "company",
     "gmbh", "mbh", "sa", "sas", "sarl", "spa", "srl", "plc", "nv", "bv", "ag", "kg", "kgaa", "ab", "oy", "pty", "pte",
     "bhd", "sdn", "cv", "rl"]
)  # fmt: skip
_DURATION = re.compile(
    r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s*\)?\s*(year|month|week|day)s?", re.I
)
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "ten": 10, "twelve": 12}  # fmt: skip


@dataclass
class Score(PrecisionRecall):
    gold: int = 0
    misses: list[str] = field(default_factory=list)

    def __add__(self, other: "Score") -> "Score":
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn, self.gold + other.gold,
                     self.misses + other.misses)  # fmt: skip


def total(scores: list[dict[str, Score]]) -> dict[str, Score]:
    """Per field, the sum of several contracts' scores."""
    summed = {name: Score() for name in FIELDS}
    for score in scores:
        for name in FIELDS:
            summed[name] = summed[name] + score[name]
    return summed


# --- gold and predictions, per field -------------------------------------------------------------------------
def gold_date(gold: dict[str, Any]) -> str | None:
    if gold.get("perpetual"):
        return "perpetual"
    iso = gold.get("iso")
    return str(iso) if iso else None


def duration_key(duration: Duration) -> str:
    return f"{duration.total_months()}m{duration.days}d"


def single_unit(key: str) -> tuple[int, int] | None:
    """A period key ("36m0d") as (months, days) when it is in one unit only; None for "1m10d", "0m0d" or no key."""
    match = re.fullmatch(r"(\d+)m(\d+)d", key)
    if match is None:
        return None
    months, days = int(match.group(1)), int(match.group(2))
    return None if months and days or not (months or days) else (months, days)


def gold_duration(answer: str | None) -> str | None:
    if not answer:
        return None
    if "perpetual" in answer.lower():
        return "perpetual"
    found = _DURATION.findall(answer)
    if not found:
        return None
    count_text, unit = found[-1]
    count = int(count_text) if count_text.isdigit() else _WORDS[count_text.lower()]
    unit = unit.lower()
    if unit == "year":
        return duration_key(Duration(years=count))
    if unit == "month":
        return duration_key(Duration(months=count))
    return duration_key(Duration(days=count * (7 if unit == "week" else 1)))


def strip_aliases(name: str) -> str:
    previous = None
    while previous != name:
        previous = name
        name = re.sub(r"\([^()]*\)", " ", name)
    name = name.split("(")[0]
    name = re.sub(r"[\"“”][^\"“”]*[\"“”]", " ", name)
    return re.sub(r"\s+", " ", name).strip(" ,;.")


def gold_parties(gold: dict[str, Any]) -> list[str]:
    raw_names = [str(name) for name in gold.get("names") or []]
    cleaned = [strip_aliases(raw) for raw in raw_names]
    aliases = [alias for raw in raw_names for alias in re.findall(r"[\"“]([^\"“”]+)[\"”]", raw)]
    names: list[str] = []
    for raw, name in zip(raw_names, cleaned, strict=True):
        defines_parties = re.search(r"[\"“]Part(?:y|ies)\b", raw) is not None
        if defines_parties and (not name or re.search(r"\b(?:collectively|individually|referred)\b", name, re.I)):
            continue
        # A group label made of other entries ("A and B", "Licensor and Licensee") names no one new.
        rest = name
        others = [other for other in cleaned if other and other.lower() != name.lower()] + aliases
        for other in sorted(others, key=len, reverse=True):
            rest = re.sub(re.escape(other), " ", rest, flags=re.I)
        if not utils.default_process(re.sub(r"\b(?:and|or|&)\b|[,.;]", " ", rest, flags=re.I)):
            continue
        if utils.default_process(name) and all(name.lower() != seen.lower() for seen in names):
            names.append(name)
    return names


def governing_law_matches(predicted: str, answer: str) -> bool:
    places = {part.strip().lower() for part in re.split(r"[;,]", answer) if part.strip()}
    parts = {part.strip().lower() for part in re.split(r"\band\b", predicted)}
    return predicted.lower() in places or bool(parts & places) or predicted.lower() in answer.lower()


def renewal_key(renewal: TermClause | None) -> str | None:
    if renewal is None:
        return None
    if renewal.perpetual:
        return "perpetual"
    return duration_key(renewal.duration) if renewal.duration else None


def predictions(insights: Insights) -> dict[str, Any]:
    agreement = insights.first_date("agreement")
    effective = insights.first_date("effective")
    expiration = insights.first_date("expiration")
    expiry = expiration.date.isoformat() if expiration else None
    initial = insights.term.initial
    if expiry is None and initial is not None and initial.perpetual:
        expiry = "perpetual"
    renewal = insights.term.renewal
    notice = insights.term.non_renewal_notice
    return {
        "parties": [party.name for party in insights.parties],
        "agreement_date": agreement.date.isoformat() if agreement else None,
        "effective_date": effective.date.isoformat() if effective else None,
        "expiration_date": expiry,
        "governing_law": insights.governing_law.jurisdiction if insights.governing_law else None,
        "renewal_term": renewal_key(renewal),
        "notice_period": duration_key(notice.duration) if notice and notice.duration else None,
    }


def golds(record: dict[str, Any]) -> dict[str, Any]:
    gold = record["gold"]
    return {
        "parties": gold_parties(gold["parties"]),
        "agreement_date": gold_date(gold["agreement_date"]),
        "effective_date": gold_date(gold["effective_date"]),
        "expiration_date": gold_date(gold["expiration_date"]),
        "governing_law": gold["governing_law"]["answer"],
        "renewal_term": gold_duration(gold["renewal_term"]["answer"]),
        "notice_period": gold_duration(gold["notice_period_to_terminate_renewal"]["answer"]),
    }


# --- party matchers -------------------------------------------------------------------------------------------
def lenient_party_ratio(predicted: str, gold: str) -> float:
    """rapidfuzz token_set_ratio: 100 whenever one name's words are a subset of the other's."""
    return fuzz.token_set_ratio(strip_aliases(predicted), gold, processor=utils.default_process)


def normalise_party(name: str) -> str:
    """Lower case, dots dropped ("L.P." is "lp"), other punctuation as spaces, "&" as "and", a leading "the" and
    trailing legal-form words dropped (unless nothing else is left)."""
    text = strip_aliases(name).lower().replace("&", " and ").replace(".", "")
    words = re.sub(r"[^\w\s]|_", " ", text).split()
    if words[:1] == ["the"] and len(words) > 1:
        words = words[1:]
    end = len(words)
    # "de" joins two legal-form words ("S.A. de C.V.", "S. de R.L."), so it goes with them.
    while end > 1 and (words[end - 1] in CORPORATE_SUFFIXES or (words[end - 1] == "de" and end < len(words))):
        end -= 1
    return " ".join(words[:end])


def strict_party_ratio(predicted: str, gold: str) -> float:
    """rapidfuzz ratio (edit-distance similarity of the whole strings) of the normalised names: a typo or two passes,
    a missing or extra word does not."""
    return fuzz.ratio(normalise_party(predicted), normalise_party(gold))


def strict_party_match(predicted: str, gold: str) -> bool:
    return strict_party_ratio(predicted, gold) >= STRICT_THRESHOLD


# --- scoring -------------------------------------------------------------------------------------------------
def score_single(record_id: str, predicted: str | None, gold: str | None, equal: bool) -> Score:
    score = Score(gold=int(gold is not None))
    if predicted is not None and gold is not None and equal:
        score.tp = 1
        return score
    if predicted is None and gold is None:
        return score
    score.fp = int(predicted is not None)
    score.fn = int(gold is not None)
    score.misses.append(f"{record_id[:60]}: predicted {predicted!r}, gold {gold!r}")
    return score


def score_parties(record_id: str, predicted: list[str], gold: list[str], strict: bool) -> Score:
    """One-to-one matching, best pairs first."""
    ratio, threshold = (strict_party_ratio, STRICT_THRESHOLD) if strict else (lenient_party_ratio, LENIENT_THRESHOLD)
    pairs = sorted(((ratio(p, g), i, j) for i, p in enumerate(predicted) for j, g in enumerate(gold)), reverse=True)
    used_predicted: set[int] = set()
    used_gold: set[int] = set()
    for value, i, j in pairs:
        if value < threshold or i in used_predicted or j in used_gold:
            continue
        used_predicted.add(i)
        used_gold.add(j)
    score = Score(
        tp=len(used_gold), fp=len(predicted) - len(used_predicted), fn=len(gold) - len(used_gold), gold=len(gold)
    )
    if len(used_gold) < len(gold) or len(used_predicted) < len(predicted):
        extra = [p for i, p in enumerate(predicted) if i not in used_predicted]
        missed = [g for j, g in enumerate(gold) if j not in used_gold]
        score.misses.append(f"{record_id[:60]}: extra {extra}, missed {missed}")
    return score


def score_record(record: dict[str, Any], insights: Insights) -> dict[str, Score]:
    """Per field, one contract's score."""
    predicted, gold, record_id = predictions(insights), golds(record), record["id"]
    scores = {
        "parties": score_parties(record_id, predicted["parties"], gold["parties"], strict=False),
        "parties_strict": score_parties(record_id, predicted["parties"], gold["parties"], strict=True),
    }
    for name in FIELDS[2:]:
        p, g = predicted[name], gold[name]
        law = name == "governing_law"
        equal = p is not None and g is not None and governing_law_matches(p, g) if law else p == g
        scores[name] = score_single(record_id, p, g, equal)
    return scores
