"""`chronometric_reconstruct` and `chronometric_accept`: time that was worked and never recorded, proposed from
evidence for a timekeeper's short days, and an entry made only when a person accepts a proposal.

Proposals are not stored: they are computed again from the evidence each time, so an accepted proposal is found
again by its id (the day and a digest of its evidence) or refused when its evidence or the day has changed since.
A day's proposals skip matters the timekeeper already recorded time on that day (that work is billed), and
together never pass what the day still lacks.
"""

import datetime as dt
import json
from zoneinfo import ZoneInfo

from cyrano_chronometric.answer_fit import PAGE_CHARS, cursor_after, fit_items
from cyrano_chronometric.time.entries import EntryStore, NewEntry
from cyrano_chronometric.time.evidence import EvidenceSources, LocalDays, gather
from cyrano_chronometric.time.gaps import find_gaps
from cyrano_chronometric.time.profiles import ProfileStore, profile_of
from cyrano_chronometric.time.reconstruct_models import (
    MAX_RECONSTRUCT_DAYS,
    AcceptAnswer,
    AcceptRequest,
    EvidenceClass,
    EvidenceView,
    ProposalView,
    ReconstructAnswer,
    ReconstructRequest,
)
from cyrano_chronometric.time.reconstruction import Evidence, Proposal, bare_address, propose_day
from cyrano_chronometric.time.service import period_of, timekeeper
from cyrano_chronometric.work_calendar import calendar_for
from cyrano_matters.api import MattersReader
from cyrano_mcp.kit import ConflictError, arguments_fingerprint, page_offset

_EVIDENCE_SHOWN = 5
_WHAT_CHARS = 200
_NARRATIVE_CHARS = 500
_OTHER_ARGUMENTS = "cursor: it was given for other arguments; give the same ones, or start without it"
_NO_ADDRESSES = (
    "The work profile names no e-mail addresses, so no e-mail could be told as this timekeeper's: set them with "
    "chronometric_work_profile_set emails."
)


class Reconstructor:
    def __init__(
        self, store: EntryStore, profiles: ProfileStore, matters: MattersReader, sources: EvidenceSources
    ) -> None:
        self._store = store
        self._profiles = profiles
        self._matters = matters
        self._sources = sources

    async def reconstruct(self, request: ReconstructRequest) -> ReconstructAnswer:
        user = timekeeper(request.user)
        start, end = period_of(request.start, request.end, MAX_RECONSTRUCT_DAYS)
        end = min(end, dt.date.today())
        if request.matter_id is not None:
            await self._matters.find(request.matter_id)  # not_found before anything is read
        proposals, short, notes, zone = await self._proposals(user, start, end, request.matter_id)
        if request.direct_only:
            proposals = [(proposal, capped) for proposal, capped in proposals if _strength(proposal) == "direct"]
        bound = arguments_fingerprint(user, start, end, request.matter_id, request.direct_only, request.limit)
        offset = page_offset(request.cursor, bound, _OTHER_ARGUMENTS)
        views = [_view(proposal, capped) for proposal, capped in proposals[offset : offset + request.limit]]
        shown = fit_items(views, PAGE_CHARS, request.limit)
        return ReconstructAnswer(
            user=user, start=start, end=max(start, end), timezone=zone, days_short=len(short),
            shortfall_hours=sum(short.values()) / 10, proposals_total=len(proposals),
            proposed_hours=sum(proposal.tenths for proposal, _ in proposals) / 10, proposals=shown, notes=notes,
            next_cursor=cursor_after(len(shown), len(proposals) - offset, offset, bound),
        )  # fmt: skip

    async def accept(self, request: AcceptRequest) -> AcceptAnswer:
        user = timekeeper(request.user)
        accepted = await self._store.by_proposal(request.proposal_id)
        if accepted is not None:
            raise ConflictError(f"proposal {request.proposal_id} was accepted already, as time entry {accepted.id}")
        day = dt.date.fromisoformat(request.proposal_id.split(".", 1)[0])
        proposals, _, _, _ = await self._proposals(user, day, day, None)
        proposal = next((item for item, _ in proposals if item.proposal_id == request.proposal_id), None)
        if proposal is None:
            raise ConflictError(
                f"proposal {request.proposal_id} no longer stands for {user}: the day's evidence or hours changed "
                "since it was made (or it was made for another timekeeper); run chronometric_reconstruct again"
            )
        provenance = json.dumps([_evidence(item).model_dump(mode="json") for item in proposal.evidence])
        new = NewEntry(
            user, proposal.matter_id, day, round((request.hours or proposal.tenths / 10) * 10),
            request.narrative or proposal.narrative[:2_000], request.billable, "reconstructed",
            proposal_id=proposal.proposal_id, provenance=provenance,
        )  # fmt: skip
        (row,) = await self._store.add([new])
        return AcceptAnswer(entry=await self._store.view(row), evidence=[_evidence(item) for item in proposal.evidence])

    async def _proposals(
        self, user: str, start: dt.date, end: dt.date, matter_id: str | None
    ) -> tuple[list[tuple[Proposal, bool]], dict[dt.date, int], list[str], str]:
        """The proposals of the user's short days from start to end, each with whether it was cut to the day's
        shortfall; the shortfall by day; notes; the zone used."""
        profile = await self._profiles.get(user)
        calendar = calendar_for(profile.jurisdiction)
        recorded = await self._store.tenths_by_day(user, start, end)
        short = {
            gap.day: gap.short_tenths for gap in find_gaps(start, end, profile_of(profile), calendar, recorded).short
        }
        addresses = frozenset(bare_address(address) for address in profile.emails)
        notes = [] if addresses else [_NO_ADDRESSES]
        if not short:
            return [], short, notes, profile.timezone
        matter_ids = [matter_id] if matter_id is not None else await self._matters.open_ids()
        days = LocalDays(min(short), max(short), ZoneInfo(profile.timezone))
        evidence = await gather(self._sources, user, addresses, days, matter_ids)
        billed = await self._store.matters_by_day(user, start, end)
        found: list[tuple[Proposal, bool]] = []
        for day, lacking in sorted(short.items()):
            unbilled = {key: items for key, items in evidence.get(day, {}).items() if (day, key) not in billed}
            proposed = propose_day(user, day, lacking, unbilled)
            found += [
                (proposal, proposed.capped and proposal is proposed.proposals[-1]) for proposal in proposed.proposals
            ]
        return found, short, notes, profile.timezone


def _strength(proposal: Proposal) -> EvidenceClass:
    return "direct" if any(item.evidence_class == "direct" for item in proposal.evidence) else "circumstantial"


def _evidence(item: Evidence) -> EvidenceView:
    return EvidenceView(
        kind=item.kind, evidence_class=item.evidence_class, at=item.when, what=item.what[:_WHAT_CHARS], ref=item.ref,
        hours=item.tenths / 10,
    )  # fmt: skip


def _view(proposal: Proposal, capped: bool) -> ProposalView:
    return ProposalView(
        proposal_id=proposal.proposal_id, date=proposal.day, matter_id=proposal.matter_id, hours=proposal.tenths / 10,
        capped=capped, strength=_strength(proposal), narrative=proposal.narrative[:_NARRATIVE_CHARS],
        evidence=[_evidence(item) for item in proposal.evidence[:_EVIDENCE_SHOWN]],
        evidence_total=len(proposal.evidence),
    )  # fmt: skip
