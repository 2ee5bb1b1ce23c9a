"""Delivering an alert to the firm's webhook: signed JSON, retried by the job queue until it is taken.

The signature lets the receiver know the alert came from this Cyrano and was not replayed later:
`X-Cyrano-Signature: sha256=<hex HMAC-SHA256 of "<X-Cyrano-Timestamp>.<body>" under the shared secret>`.
A 2xx answer delivers it; a 429, a 5xx, a timeout or a refused connection is retried (`UnavailableError`, the
queue's backoff); any other answer fails it at once, since sending it again would get the same.
"""

import hashlib
import hmac
import json
import time

import httpx
from pydantic import BaseModel

from cyrano_mcp.kit import Database, InvalidInputError, NotFoundError, UnavailableError
from cyrano_potemkin.alerts.tables import AlertRow
from cyrano_potemkin.settings import PotemkinSettings

JOB = "alert_webhook"  # the job kind `potemkin.alert_webhook`


class WebhookItem(BaseModel):
    alert_id: str


class WebhookResult(BaseModel):
    alert_id: str
    status: int


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def payload(row: AlertRow) -> bytes:
    """What the receiver gets: the alert's ids, numbers and summary (no client material is in an alert)."""
    fields = {
        "id": row.id,
        "check": row.check_name,
        "outcome": row.outcome,
        "subject": row.subject,
        "value": row.value,
        "threshold": row.threshold,
        "summary": row.summary,
        "created_at": row.created_at.isoformat(),
    }
    return json.dumps(fields, sort_keys=True).encode()


class WebhookSender:
    def __init__(self, database: Database, settings: PotemkinSettings) -> None:
        self._database = database
        self._url = settings.potemkin_alert_webhook_url
        secret = settings.potemkin_alert_webhook_secret
        self._secret = secret.get_secret_value() if secret is not None else ""
        self._timeout = settings.potemkin_alert_webhook_timeout

    async def deliver(self, item: WebhookItem) -> WebhookResult:
        async with self._database.session() as session:
            row = await session.get(AlertRow, item.alert_id)
        if row is None:
            raise NotFoundError(f"no alert has id {item.alert_id}")
        if row.webhook == "delivered" or self._url is None:  # run again after a crash, or the webhook was removed
            return WebhookResult(alert_id=row.id, status=0)
        body = payload(row)
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "X-Cyrano-Alert": row.id,
            "X-Cyrano-Timestamp": timestamp,
            "X-Cyrano-Signature": signature(self._secret, timestamp, body),
        }
        try:
            async with httpx.AsyncClient(timeout=self._timeout) as client:
                response = await client.post(self._url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            await self._mark(row.id, "failed")
            raise UnavailableError(f"alert webhook: {type(exc).__name__}; will retry") from None
        if response.is_success:
            await self._mark(row.id, "delivered")
            return WebhookResult(alert_id=row.id, status=response.status_code)
        await self._mark(row.id, "failed")
        if response.status_code == 429 or response.status_code >= 500:
            raise UnavailableError(f"alert webhook answered {response.status_code}; will retry")
        raise InvalidInputError(f"alert webhook answered {response.status_code}; not retried")

    async def _mark(self, alert_id: str, state: str) -> None:
        async with self._database.transaction() as session:
            row = await session.get(AlertRow, alert_id, with_for_update=True)
            if row is not None and row.webhook != "delivered":
                row.webhook = state
                session.add(row)
