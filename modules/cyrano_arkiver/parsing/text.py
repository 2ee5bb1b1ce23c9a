"""Plain text, Markdown and HTML: bytes to str (choosing the encoding), HTML to readable text."""

import codecs
import re
from html.parser import HTMLParser

from cyrano_arkiver.parsing.errors import CorruptDocument

# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# The HTML standard treats these labels as windows-1252, which is what such pages really are.
_WINDOWS_1252_ALIASES = frozenset({"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii"})
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_NEWLINES = re.compile(r"\r\n?")


def bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def decode_text(data: bytes, *, declared: str | None = None) -> str:
    """Decode by byte-order mark, else `declared`, else UTF-8, else windows-1252; line ends become LF."""
    encoding = bom_encoding(data)
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            raise CorruptDocument(
                f"the text starts with a {encoding.upper()} byte-order mark but is not valid {encoding.upper()}"
            ) from None
    else:
        text = _decode_unmarked(data, declared)
    return _NEWLINES.sub("\n", text)


def _decode_unmarked(data: bytes, declared: str | None) -> str:
    if declared is not None:
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass  # pages often lie about their charset; fall through to the usual guesses
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Five bytes are undefined in windows-1252; they are vanishingly rare in real text.
        return data.decode("cp1252", errors="replace")


def html_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first KiB, as a Python codec name, if it names a real one."""
    match = _META_CHARSET.search(data[:1024])
    if match is None:
        return None
    label = match.group(1).decode("ascii").lower()
    if label in _WINDOWS_1252_ALIASES:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def html_to_text(html: str) -> str:
    """Readable text of an HTML page: scripts and styles dropped, blocks on their own lines, entities decoded."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return extractor.text()


# Tags that end a paragraph (a blank line, where pagination may cut) or a line.
_PARAGRAPH_TAGS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "ul", "ol", "dl", "hr", "title"}
    | {"section", "article", "header", "footer", "main", "aside", "nav", "figure", "address", "form", "fieldset"}
)
_LINE_TAGS = frozenset({"div", "li", "tr", "dt", "dd", "caption", "figcaption", "details", "summary", "legend"})
_CELL_TAGS = frozenset({"td", "th"})
_SKIPPED_TAGS = frozenset({"script", "style", "template", "noscript", "svg", "math", "iframe", "object"})
_VOID_TAGS = frozenset({"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "wbr"})
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._parts: list[str] = []
        self._skipping: list[str] = []  # open elements whose content is dropped, innermost last
        self._pre_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping.append(tag)
        elif self._skipping:
            return
        elif tag == "br":
            self._break(1)
        elif tag in _PARAGRAPH_TAGS:
            self._break(2)
            if tag == "pre":
                self._pre_depth += 1
        elif tag in _LINE_TAGS:
            self._break(1)
        elif tag in _CELL_TAGS and self._parts and self._parts[-1][-1] != "\n":
            self._parts.append("\t")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            return  # <svg/> has no content to drop
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._skipping:
            del self._skipping[len(self._skipping) - 1 - self._skipping[::-1].index(tag) :]
        elif self._skipping:
            return
        elif tag in _PARAGRAPH_TAGS:
            if tag == "pre" and self._pre_depth:
                self._pre_depth -= 1
            self._break(2)
        elif tag in _LINE_TAGS:
            self._break(1)

    def handle_data(self, data: str) -> None:
        if self._skipping or not data:
            return
        if not self._pre_depth:
            data = _HTML_SPACE.sub(" ", data)
            if data.startswith(" ") and (not self._parts or self._parts[-1][-1] in " \t\n"):
                data = data[1:]
        if data:
            # &nbsp; is layout; as a plain space the words stay findable.
            self._parts.append(data.replace("\xa0", " "))

    def _break(self, newlines: int) -> None:
        """End the line; two newlines leave a blank line, a paragraph break where pagination may cut."""
        while self._parts:  # spaces before a break are layout, not text
            last = self._parts[-1]
            trimmed = last.rstrip(" \t")
            if trimmed == last:
                break
            if trimmed:
                self._parts[-1] = trimmed
                break
            self._parts.pop()
        if not self._parts:
            return
        present = 0
        for part in reversed(self._parts):
            kept = part.rstrip("\n")
            present += len(part) - len(kept)
            if kept:
                break
        if present < newlines:
            self._parts.append("\n" * (newlines - present))

    def text(self) -> str:
        return "".join(self._parts).strip()
