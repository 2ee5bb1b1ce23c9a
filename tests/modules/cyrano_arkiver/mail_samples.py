"""Hand-written e-mails for the tests: plain, HTML, encoded headers, Latin-1, forwards, attachments, broken ones."""

import email
import email.policy
import hashlib
from email.message import EmailMessage

PLAIN = b"""From: Dana Whitfield <dana@harbor-analytics.example>
To: Leo Marsh <leo@piernine.example>
Cc: records@piernine.example
Subject: Occupancy report for March
Date: Tue, 14 Apr 2026 09:30:00 -0400
Message-ID: <report-0414@harbor-analytics.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Leo,

The March occupancy report is ready. Harbor Analytics LLC will invoice $12,500.00 as usual.

Dana
"""

REPLY = b"""From: Leo Marsh <leo@piernine.example>
To: Dana Whitfield <dana@harbor-analytics.example>
Subject: Re: Occupancy report for March
Date: Wed, 15 Apr 2026 08:05:00 +0200
Message-ID: <reply-0415@piernine.example>
In-Reply-To: <report-0414@harbor-analytics.example>
References: <report-0414@harbor-analytics.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Thanks Dana, received.
"""

# Only an HTML body (as many mail programs send), with a style block that must not reach the text.
HTML_ONLY = b"""From: notices@court.example
To: leo@piernine.example
Subject: Hearing notice
Date: Mon, 4 May 2026 16:00:00 +0000
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<html><head><style>p { color: red }</style></head><body><p>The hearing is set for <b>June 2, 2026</b>.</p>
<p>Bring the lease.</p></body></html>
"""

ALTERNATIVE = b"""From: Dana Whitfield <dana@harbor-analytics.example>
To: leo@piernine.example
Subject: Both kinds of body
Date: Thu, 16 Apr 2026 10:00:00 -0400
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="alt-boundary"

--alt-boundary
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

The plain body wins: rent is due on the first =
business day.
--alt-boundary
Content-Type: text/html; charset=utf-8

<html><body><p>The HTML body loses.</p></body></html>
--alt-boundary--
"""

# RFC 2047 encoded words in the names and the subject; a Latin-1 body in quoted-printable.
ENCODED = b"""From: =?UTF-8?Q?Zo=C3=AB_M=C3=BCller?= <zoe@mueller.example>
To: =?ISO-8859-1?Q?Fran=E7ois_Ren=E9?= <francois@rene.example>
Subject: =?UTF-8?B?UsOkdW11bmdza2xhZ2U=?= =?UTF-8?Q?_=E2=80=94_Frist?=
Date: Fri, 17 Apr 2026 14:00:00 +0200
MIME-Version: 1.0
Content-Type: text/plain; charset=ISO-8859-1
Content-Transfer-Encoding: quoted-printable

Sehr geehrter Herr Ren=E9,

die Frist f=FCr die R=E4umung endet am 30. April 2026. Gr=FC=DFe
"""

NO_DATE = b"""From: leo@piernine.example
To: dana@harbor-analytics.example
Subject: Undated note

No date on this one.
"""

MEMO = b"""To: All staff
From: Managing partner
Date: May 1, 2026
Re: Office closure

The office is closed on Friday.
"""

CONTRACT = b"""CONSULTING AGREEMENT

From: the date first written above, the Consultant shall deliver the reports.
"""

TRUNCATED_MULTIPART = b"""From: dana@harbor-analytics.example
To: leo@piernine.example
Subject: Cut short
Date: Tue, 14 Apr 2026 09:30:00 -0400
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="cut"

--cut
Content-Type: text/plain

The attachment follows.
--cut
Content-Type: application/pdf; name="lease.pdf"
Content-Disposition: attachment; filename="lease.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKJcfs
"""


def with_attachments(
    body: str,
    attachments: list[tuple[bytes, str, str, str]],
    *,
    subject: str = "Documents for the lease",
    date: str = "Tue, 21 Apr 2026 11:00:00 -0700",
) -> bytes:
    """A message with `attachments` (data, maintype, subtype, filename), each base64 as mail programs send."""
    message = EmailMessage()
    message["From"] = "Dana Whitfield <dana@harbor-analytics.example>"
    message["To"] = "Leo Marsh <leo@piernine.example>"
    message["Subject"] = subject
    message["Date"] = date
    message["Message-ID"] = f"<{hashlib.sha256((body + subject).encode()).hexdigest()[:16]}@harbor-analytics.example>"
    message.set_content(body)
    for data, maintype, subtype, filename in attachments:
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return bytes(message)


def forwarding(inner: bytes, note: str) -> bytes:
    """`inner` forwarded as an attached message/rfc822 under a short note."""
    message = EmailMessage()
    message["From"] = "Leo Marsh <leo@piernine.example>"
    message["To"] = "counsel@firm.example"
    message["Subject"] = "Fwd: Documents for the lease"
    message["Date"] = "Wed, 22 Apr 2026 09:00:00 -0700"
    message.set_content(note)
    message.add_attachment(email.message_from_bytes(inner, policy=email.policy.default))
    return bytes(message)
