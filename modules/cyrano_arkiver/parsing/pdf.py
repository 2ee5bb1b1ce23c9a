"""PDF: each page's text layer through pdfium; a page without a usable one is rendered at 300 dpi and OCR'd.

pdfium runs in a worker process within the document's memory and time budgets (`pdf_workers`); pages come
a few at a time and at most one scan at a time, so memory stays flat however long the document is, and OCR
of one page overlaps the reading of the next.
"""

from collections.abc import Callable, Iterator

from cyrano_arkiver.parsing.errors import CorruptDocument
from cyrano_arkiver.parsing.limits import ParseLimits, check_page_count
from cyrano_arkiver.parsing.models import ExtractionMethod
from cyrano_arkiver.parsing.ocr import OcrJob, recognise
from cyrano_arkiver.parsing.pdf_workers import open_pdf

_EOF_WINDOW = 1024  # where readers look for the final %%EOF


def parse_pdf(
    data: bytes, limits: ParseLimits, progress: Callable[[int, int], None] | None
) -> tuple[list[str], list[ExtractionMethod]]:
    if b"%%EOF" not in data[-_EOF_WINDOW:]:
        raise CorruptDocument("the PDF is truncated (it does not end with %%EOF); send the complete file")
    with open_pdf(data, limits) as document:
        count = document.page_count
        if count == 0:
            raise CorruptDocument("the PDF has no pages")
        check_page_count(count, limits)
        texts = [""] * count
        methods = [ExtractionMethod.TEXT_LAYER] * count
        done = 0

        def finished() -> None:
            nonlocal done
            done += 1
            if progress is not None:
                progress(done, count)

        def on_ocr(index: int, text: str) -> None:
            if text or not texts[index].strip():  # keep the text layer when OCR finds nothing better
                texts[index] = text
                methods[index] = ExtractionMethod.OCR
            finished()

        def scans() -> Iterator[OcrJob]:
            index = 0
            while index < count:
                for page in document.read_pages(index):
                    texts[index] = page.text
                    if page.image is None:
                        finished()
                    else:
                        yield OcrJob(index=index, image=page.image, dpi=page.dpi)
                    index += 1

        recognise(scans(), limits=limits, on_page=on_ocr)
    return texts, methods
