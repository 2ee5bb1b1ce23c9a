"""Raising, listing and acknowledging alerts, and the thresholds they are raised at.

A check calls `raise_if` with its measure; at or past the user's threshold (or when the check could not run),
the alert is stored, sent to the connected client as an MCP log notification, and queued for the webhook.
Alerts carry ids and counts only: no document text, no claim, nothing a log or a webhook must not hold.
"""

import hashlib
import json
import uuid
from collections.abc import Mapping
from typing import Any, Literal

from sqlmodel import col, func, select

from cyrano_mcp.kit import (
    ConflictError,
    Database,
    JobQueue,
    NewItem,
    NotFoundError,
    SealedField,
    arguments_fingerprint,
    current_call,
    next_page_cursor,
    page_offset,
    utc_now,
)
from cyrano_potemkin.alerts.models import (
    DEFAULT_THRESHOLDS,
    MEASURES,
    AckRequest,
    AlertList,
    AlertsRequest,
    AlertView,
    CheckName,
    ThresholdRequest,
    ThresholdView,
)
from cyrano_potemkin.alerts.tables import AlertRow, ThresholdRow
from cyrano_potemkin.alerts.webhook import JOB, WebhookItem
from cyrano_potemkin.settings import PotemkinSettings


def _caller() -> str | None:
    call = current_call()
    return call.principal.username if call is not None and call.principal is not None else None


class AlertService:
    def __init__(self, database: Database, reason: SealedField, jobs: JobQueue, settings: PotemkinSettings) -> None:
        self._database = database
        self._reason = reason
        self._jobs = jobs
        self._webhook = settings.potemkin_alert_webhook_url is not None

    async def raise_if(
        self,
        check: CheckName,
        value: float,
        *,
        subject: str,
        summary: str,
        details: Mapping[str, Any],
        outcome: Literal["breach", "not_run"] = "breach",
    ) -> AlertView | None:
        """Store an alert if `value` reaches the check's threshold (always for `not_run`); None if it does not, or
        if the same result is already an open alert."""
        threshold = await self._threshold(check)
        if outcome == "breach" and value < threshold:
            return None
        body = json.dumps(dict(details), sort_keys=True, default=str)
        fingerprint = hashlib.sha256(f"{check}|{outcome}|{subject}|{body}".encode()).hexdigest()
        async with self._database.transaction() as session:
            repeated = await session.exec(
                select(AlertRow.id).where(AlertRow.fingerprint == fingerprint, AlertRow.status == "open")
            )
            if repeated.first() is not None:
                return None
            row = AlertRow(
                id=str(uuid.uuid4()),
                check_name=check,
                outcome=outcome,
                subject=subject[:200],
                value=value,
                threshold=threshold,
                summary=summary[:500],
                details=body,
                fingerprint=fingerprint,
                status="open",
                created_at=utc_now(),
                created_by=_caller(),
                webhook="pending" if self._webhook else "off",
            )
            session.add(row)
        view = await self._view(row)
        if self._webhook:
            await self._jobs.submit(
                f"potemkin.{JOB}", f"Alert webhook: {check}", [NewItem(row.id, WebhookItem(alert_id=row.id))]
            )
        call = current_call()
        if call is not None:
            notice = {"alert_id": row.id, "check": check, "outcome": outcome, "summary": row.summary}
            await call.notify_client("warning", {"event": "potemkin_alert", **notice})
        return view

    async def alerts(self, request: AlertsRequest) -> AlertList:
        bound = arguments_fingerprint(request.status or "", request.check or "")
        offset = page_offset(request.cursor, bound, "cursor: it was given for other filters")
        filters = []
        if request.status is not None:
            filters.append(col(AlertRow.status) == request.status)
        if request.check is not None:
            filters.append(col(AlertRow.check_name) == request.check)
        async with self._database.session() as session:
            rows = (
                await session.exec(
                    select(AlertRow)
                    .where(*filters)
                    .order_by(col(AlertRow.created_at).desc(), col(AlertRow.id))
                    .offset(offset)
                    .limit(request.limit + 1)
                )
            ).all()
            open_count = (
                await session.exec(select(func.count()).select_from(AlertRow).where(AlertRow.status == "open"))
            ).one()
        return AlertList(
            open=open_count,
            thresholds=await self.thresholds(),
            alerts=[await self._view(row) for row in rows[: request.limit]],
            next_cursor=next_page_cursor(len(rows), request.limit, offset, bound),
        )

    async def acknowledge(self, request: AckRequest) -> AlertView:
        async with self._database.transaction() as session:
            row = await session.get(AlertRow, request.alert_id, with_for_update=True)
            if row is None:
                raise NotFoundError(f"alert_id: no alert has id {request.alert_id}")
            if row.status == "acknowledged":
                raise ConflictError(
                    f"alert {row.id} was acknowledged on {row.acknowledged_at:%Y-%m-%d %H:%M} by "
                    f"{row.acknowledged_by or 'the local user'}"
                )
            row.status = "acknowledged"
            row.acknowledged_at = utc_now()
            row.acknowledged_by = _caller()
            row.ack_reason = await self._reason.seal(row.id, request.reason)
            session.add(row)
        return await self._view(row)

    async def set_threshold(self, request: ThresholdRequest) -> ThresholdView:
        async with self._database.transaction() as session:
            row = await session.get(ThresholdRow, request.check, with_for_update=True)
            row = row or ThresholdRow(check_name=request.check, threshold=request.threshold, updated_at=utc_now())
            row.threshold = request.threshold
            row.updated_at = utc_now()
            row.updated_by = _caller()
            session.add(row)
        return ThresholdView(
            check=request.check, threshold=request.threshold, measures=MEASURES[request.check], default=False
        )

    async def thresholds(self) -> list[ThresholdView]:
        async with self._database.session() as session:
            stored = {row.check_name: row.threshold for row in (await session.exec(select(ThresholdRow))).all()}
        return [
            ThresholdView(
                check=check,
                threshold=stored.get(check, default),
                measures=MEASURES[check],
                default=check not in stored,
            )
            for check, default in DEFAULT_THRESHOLDS.items()
        ]

    async def _threshold(self, check: CheckName) -> float:
        async with self._database.session() as session:
            row = await session.get(ThresholdRow, check)
        return row.threshold if row is not None else DEFAULT_THRESHOLDS[check]

    async def _view(self, row: AlertRow) -> AlertView:
        reason = await self._reason.open(row.id, row.ack_reason) if row.ack_reason is not None else None
        return AlertView(
            id=row.id,
            check=row.check_name,
            outcome=row.outcome,
            subject=row.subject,
            value=row.value,
            threshold=row.threshold,
            summary=row.summary,
            status=row.status,
            created_at=row.created_at,
            acknowledged_at=row.acknowledged_at,
            acknowledged_by=row.acknowledged_by,
            reason=reason,
            webhook=row.webhook,
        )
