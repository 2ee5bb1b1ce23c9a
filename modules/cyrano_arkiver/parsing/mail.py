"""E-mail (RFC 5322 / MIME, .eml): the message's headers, its readable text and its attachments' bytes.

The standard library's parser (`email.policy.default`) decodes transfer encodings, charsets and RFC 2047
encoded words. It accepts nearly anything, so what it reports as defects decides what is refused: a multipart
message whose boundaries are missing or never closed is truncated, and so is an attachment whose base64 breaks
off. A forwarded message (message/rfc822) is read into the text of the message that carries it, after its
own header block, and its attachments become the outer message's.
"""

import email
import email.policy
import mimetypes
from datetime import UTC, datetime
from email import errors as mail_errors
from email.message import EmailMessage, Message
from email.utils import getaddresses

from cyrano_arkiver.parsing.errors import CorruptDocument, TooManyAttachments
from cyrano_arkiver.parsing.limits import ParseLimits
from cyrano_arkiver.parsing.models import MailAttachment, MailHeaders, ParsedMail
from cyrano_arkiver.parsing.text import decode_text, html_to_text

_MAX_FORWARD_DEPTH = 8
_FORWARD_LINE = "---------- Forwarded message ----------\n"
# Defects that mean the message was cut short or its MIME structure is broken, not merely untidy.
_FATAL_DEFECTS = (
    mail_errors.StartBoundaryNotFoundDefect,
    mail_errors.CloseBoundaryNotFoundDefect,
    mail_errors.MultipartInvariantViolationDefect,
    mail_errors.InvalidBase64PaddingDefect,
    mail_errors.InvalidBase64CharactersDefect,
    mail_errors.InvalidBase64LengthDefect,
)
# What the standard library's header parser raises on some malformed headers instead of recording a defect.
_PARSER_FAILURES = (IndexError, AttributeError, TypeError, ValueError, LookupError)
_MESSAGE_HEADERS = frozenset({"from", "to", "subject", "date", "message-id"})


def parse_mail(data: bytes, limits: ParseLimits) -> ParsedMail:
    """The message's headers, its text (a header block, then the body) and the attachments to read on their own."""
    try:
        return _parse(data, limits)
    except _PARSER_FAILURES as failure:
        raise CorruptDocument(
            "the e-mail has a header the mail parser cannot read (malformed); export the message again"
        ) from failure


def _parse(data: bytes, limits: ParseLimits) -> ParsedMail:
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not _has_headers(message):
        raise CorruptDocument("the e-mail has no message headers (From, To, Subject, Date); it is not a message")
    attachments: list[MailAttachment] = []
    text = _message_text(message, attachments, depth=0)
    if len(attachments) > limits.max_attachments:
        raise TooManyAttachments(
            f"the e-mail has {len(attachments)} attachments; the limit is {limits.max_attachments}"
            " (CYRANO_MAX_MESSAGE_ATTACHMENTS)",
            details={"attachments": len(attachments), "max_attachments": limits.max_attachments},
        )
    return ParsedMail(headers=_headers_of(message), text=text, attachments=attachments)


def _headers_of(message: EmailMessage) -> MailHeaders:
    return MailHeaders(
        sender=_addresses(message, "from"),
        to=_addresses(message, "to"),
        cc=_addresses(message, "cc"),
        bcc=_addresses(message, "bcc"),
        subject=_header(message, "subject"),
        date_written=_written(message, "date"),
        sent_at=_sent_at(message),
        message_id=_header(message, "message-id"),
        in_reply_to=_header(message, "in-reply-to"),
        references=_header(message, "references").split(),
    )


def _header_block(headers: MailHeaders) -> str:
    """The lines a reader sees above a message: who, to whom, when (as written and in UTC), about what."""
    lines = [f"From: {', '.join(headers.sender)}", f"To: {', '.join(headers.to)}"]
    if headers.cc:
        lines.append(f"Cc: {', '.join(headers.cc)}")
    if headers.bcc:
        lines.append(f"Bcc: {', '.join(headers.bcc)}")
    if headers.sent_at is not None:
        when = headers.sent_at.isoformat().replace("+00:00", "Z")
        lines.append(f"Date: {headers.date_written} ({when})")
    else:
        lines.append(f"Date: {headers.date_written or '(none)'}")
    lines.append(f"Subject: {headers.subject}")
    return "\n".join(lines)


def _message_text(message: EmailMessage, attachments: list[MailAttachment], depth: int) -> str:
    if depth > _MAX_FORWARD_DEPTH:
        raise CorruptDocument(f"the e-mail nests forwarded messages more than {_MAX_FORWARD_DEPTH} deep")
    _refuse_if_broken(message)
    parts = [_header_block(_headers_of(message)), _body(message)]
    for part in _attachment_parts(message):
        _refuse_if_broken(part)
        if part.get_content_type() == "message/rfc822":
            forwarded = part.get_content()
            if isinstance(forwarded, EmailMessage):
                parts.append(
                    "---------- Forwarded message ----------\n" + _message_text(forwarded, attachments, depth + 1)
                )
                continue
        attachments.append(_attachment(part, len(attachments) + 1))
    return "\n\n".join(part for part in parts if part).strip() + "\n"


def _attachment_parts(message: EmailMessage) -> list[EmailMessage]:
    if not message.is_multipart():
        return []
    return [part for part in message.iter_attachments() if isinstance(part, EmailMessage)]


def _body(message: EmailMessage) -> str:
    """The plain-text body when there is one, else the HTML one as text; empty when the message has neither."""
    body = message.get_body(preferencelist=("plain", "html"))
    if not isinstance(body, EmailMessage):
        return ""
    text = _content_text(body)
    if body.get_content_subtype() == "html":
        text = html_to_text(text)
    return text.replace("\r\n", "\n").strip()


def _content_text(part: EmailMessage) -> str:
    try:
        content = part.get_content()
    except (LookupError, UnicodeError):  # an unknown or lying charset: the usual guesses instead
        content = None
    if isinstance(content, str):
        return content
    raw = part.get_payload(decode=True)
    return decode_text(raw) if isinstance(raw, bytes) else ""


def _attachment(part: EmailMessage, number: int) -> MailAttachment:
    content_type = part.get_content_type()
    filename = part.get_filename()
    if not filename:
        filename = f"attachment-{number}{mimetypes.guess_extension(content_type) or '.bin'}"
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    # A name is a file name, not a path: keep its last component, as the Filename of a request must be.
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].replace("\x00", "")[:255] or f"attachment-{number}"
    return MailAttachment(filename=name, content_type=content_type, data=data)


def _refuse_if_broken(part: Message) -> None:
    for defect in part.defects:
        if isinstance(defect, _FATAL_DEFECTS):
            raise CorruptDocument(
                "the e-mail is truncated or its MIME structure is broken"
                f" ({type(defect).__name__.removesuffix('Defect')}); export the complete message again"
            )


def _has_headers(message: EmailMessage) -> bool:
    return bool({name.lower() for name in message} & _MESSAGE_HEADERS)


def _header(message: EmailMessage, name: str) -> str:
    value = message[name]
    return " ".join(str(value).split()) if value is not None else ""


def _written(message: EmailMessage, name: str) -> str:
    """A header exactly as the message has it (unfolded): the parsed form rewrites some dates."""
    for field, value in message.raw_items():
        if field.lower() == name:
            return " ".join(str(value).split())
    return ""


def _addresses(message: EmailMessage, name: str) -> list[str]:
    """Each address of a header as `Name <address>` (or the bare address), encoded words decoded."""
    values = message.get_all(name) or []
    found = []
    for display, address in getaddresses([str(value) for value in values]):
        if address or display:
            found.append(f"{display} <{address}>" if display and address else address or display)
    return found


def _sent_at(message: EmailMessage) -> datetime | None:
    """The Date header as an aware UTC time; None when missing or unreadable. A zone of -0000 (unknown) is UTC."""
    try:
        when = getattr(message["date"], "datetime", None)
    except (ValueError, IndexError):  # a date that cannot be (31 February): the message stays, undated
        return None
    if not isinstance(when, datetime):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC)
