"""Potemkin's own settings, read from `CYRANO_POTEMKIN_*` variables."""

from pydantic import Field, SecretStr, field_validator, model_validator

from cyrano_mcp.kit import EngineSettings


class PotemkinSettings(EngineSettings):
    potemkin_max_text_chars: int = Field(
        default=200_000,
        ge=1_000,
        le=5_000_000,
        description="Longest text potemkin_verify and potemkin_citations take, in characters (about 60 pages).",
    )
    potemkin_max_source_pages: int = Field(
        default=2_000, ge=1, le=100_000, description="Most source pages one potemkin_verify call reads."
    )
    potemkin_max_import_bytes: int = Field(
        default=20_000_000, ge=1_000, le=40_000_000, description="Largest conversation export potemkin_import takes."
    )
    potemkin_max_compared_answers: int = Field(
        default=5_000,
        ge=10,
        le=100_000,
        description="Most archived answers one potemkin_drift or potemkin_bias call compares.",
    )
    potemkin_probes_inline: int = Field(
        default=5,
        ge=1,
        le=100,
        description="Most questions potemkin_probe_run asks within the call; more run as a background job.",
    )
    potemkin_alert_webhook_url: str | None = Field(
        default=None,
        description="Where each new alert is POSTed as JSON, signed (X-Cyrano-Signature: sha256=HMAC of "
        '"<X-Cyrano-Timestamp>.<body>" with the webhook secret) and retried by the job queue; empty: no webhook.',
    )
    potemkin_alert_webhook_secret: SecretStr | None = Field(
        default=None, description="The shared secret that signs alert webhooks (required with a webhook URL)."
    )
    potemkin_alert_webhook_timeout: float = Field(
        default=5.0, gt=0, le=60, description="Seconds one webhook delivery attempt may take."
    )

    potemkin_citation_lookup_url: str | None = Field(
        default=None,
        description="A citation-lookup service potemkin_citations asks about the citations it could not find (the "
        "wire format of CourtListener's https://www.courtlistener.com/api/rest/v4/citation-lookup/); only the "
        "citations are sent, never the text. Empty: nothing is checked online.",
    )
    potemkin_citation_lookup_token: SecretStr | None = Field(
        default=None, description="The lookup service's API token (sent as Authorization: Token <token>)."
    )
    potemkin_citation_lookup_timeout: float = Field(
        default=10.0, gt=0, le=120, description="Seconds one citation lookup may take before the check goes on without."
    )
    potemkin_citation_lookup_per_minute: int = Field(
        default=60, ge=1, le=10_000, description="Most citations sent to the lookup service in any minute."
    )

    @field_validator("potemkin_alert_webhook_url", "potemkin_citation_lookup_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value or None

    @model_validator(mode="after")
    def _signed(self) -> "PotemkinSettings":
        secret = self.potemkin_alert_webhook_secret
        if self.potemkin_alert_webhook_url and (secret is None or len(secret.get_secret_value()) < 16):
            raise ValueError("potemkin_alert_webhook_secret: a webhook needs a secret of at least 16 characters")
        return self
