"""DOCX: the body's text in reading order, with a form feed wherever the author forced a new page.

The zip directory is judged before python-docx inflates anything. The body is then walked as XML rather
than through python-docx's paragraph API, which has no notion of breaks, text boxes or tracked changes.
Headers, footers, footnotes and comments live in other parts and are not read.
"""

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn

from cyrano_arkiver.parsing.errors import CorruptDocument
from cyrano_arkiver.parsing.limits import ParseLimits, check_zip_directory

_P = qn("w:p")
_TBL = qn("w:tbl")
_TR = qn("w:tr")
_TC = qn("w:tc")
_T = qn("w:t")
_TAB = qn("w:tab")
_BR = qn("w:br")
_CR = qn("w:cr")
_NO_BREAK_HYPHEN = qn("w:noBreakHyphen")
_PPR = qn("w:pPr")
_RPR = qn("w:rPr")
_SECTPR = qn("w:sectPr")
_TYPE = qn("w:type")
_VAL = qn("w:val")
_PAGE_BREAK_BEFORE = qn("w:pageBreakBefore")
_ALTERNATE_CONTENT = "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"
# Deleted and moved-away text (tracked changes), field codes and properties: not what the reader sees.
_HIDDEN = frozenset({qn("w:del"), qn("w:moveFrom"), qn("w:delText"), qn("w:instrText"), _PPR, _RPR, qn("w:tblPr")})
# Section breaks that do not start a new page.
_SAME_PAGE_SECTIONS = frozenset({"continuous", "nextColumn"})
_OFF = frozenset({"0", "false", "off"})
# What python-docx, zipfile and lxml raise for a damaged package (lxml's XMLSyntaxError is a SyntaxError).
_PACKAGE_ERRORS = (
    PackageNotFoundError,
    zipfile.BadZipFile,
    KeyError,
    ValueError,
    OSError,
    EOFError,
    NotImplementedError,
    SyntaxError,
    zlib.error,
)
_BREAK_SPACING = re.compile(r"\n*\f\n*")


def docx_text(data: bytes, limits: ParseLimits) -> str:
    """The document's text: paragraphs separated by blank lines, table cells by tabs, forced pages by \\f."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip_directory(archive.infolist(), limits)
        body = docx.Document(io.BytesIO(data)).element.body
    except _PACKAGE_ERRORS as exc:
        raise CorruptDocument("the DOCX is damaged or truncated; open and re-save it in Word") from exc
    text = "\n\n".join(_blocks(body))
    # A forced page break stands for all the spacing around it.
    return _BREAK_SPACING.sub("\f", text).strip()


def _blocks(container: Any) -> list[str]:
    """Paragraphs and tables of a body, cell, text box or content control, in order."""
    blocks: list[str] = []
    for child in container:
        if child.tag == _P:
            text = _paragraph(child)
        elif child.tag == _TBL:
            text = _table(child)
        elif child.tag in _HIDDEN or child.tag == _SECTPR:
            continue
        else:  # content controls, custom XML, inserted (tracked) blocks: their content counts
            blocks.extend(_blocks(child))
            continue
        if text.strip(" \t\n"):
            blocks.append(text)
    return blocks


def _paragraph(paragraph: Any) -> str:
    parts: list[str] = []
    properties = paragraph.find(_PPR)
    if properties is not None:
        before = properties.find(_PAGE_BREAK_BEFORE)
        if before is not None and before.get(_VAL, "true") not in _OFF:
            parts.append("\f")
    _inline(paragraph, parts)
    if properties is not None:
        section = properties.find(_SECTPR)
        if section is not None:
            kind = section.find(_TYPE)
            if kind is None or kind.get(_VAL, "nextPage") not in _SAME_PAGE_SECTIONS:
                parts.append("\f")
    return "".join(parts)


def _inline(element: Any, parts: list[str]) -> None:
    for child in element:
        tag = child.tag
        if tag == _T:
            parts.append(child.text or "")
        elif tag == _TAB:
            parts.append("\t")
        elif tag == _BR:
            parts.append("\f" if child.get(_TYPE) == "page" else "\n")
        elif tag == _CR:
            parts.append("\n")
        elif tag == _NO_BREAK_HYPHEN:
            parts.append("-")
        elif tag == _P:  # a paragraph inside a text box, anchored in this one
            parts.append("\n")
            parts.append(_paragraph(child))
            parts.append("\n")
        elif tag == _ALTERNATE_CONTENT:
            # The same content twice (modern and legacy); the first choice is the modern one.
            if len(child):
                _inline(child[0], parts)
        elif tag not in _HIDDEN and isinstance(tag, str):  # comments and processing instructions have no str tag
            _inline(child, parts)


def _table(table: Any) -> str:
    rows = ("\t".join("\n".join(_blocks(cell)) for cell in _within(row, _TC)) for row in _within(table, _TR))
    return "\n".join(rows)


def _within(element: Any, tag: str) -> Iterator[Any]:
    """Rows of a table or cells of a row, also those wrapped in content controls; not those of nested tables."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag != _TBL and child.tag not in _HIDDEN and isinstance(child.tag, str):
            yield from _within(child, tag)
