"""Scanned pages and images read with Tesseract (its Vietnamese data) into positioned words and ruling lines.

Every page image goes the same way (:func:`ocr_image`): grayscale, binarised (Otsu: the faint diagonal
watermark of the portals' scans falls below the threshold), upscaled to about 300 dpi when it is coarser
(Tesseract reads 150 dpi scans better twice as large); the ruled lines of tables are found with OpenCV
morphology (an opening with a long thin kernel keeps only long horizontal or vertical runs) and become
:class:`~policykg.loaders.readers.geometry.Rule`; they are erased from the image before Tesseract reads it
(word boxes and confidences from ``image_to_data``), so that cell borders are not read as ``|`` or ``l``.
Boxes are in points (pixels * 72 / dpi), like a PDF's text layer, so :func:`~.geometry.pages_document`
builds lines, paragraphs and tables from OCR pages the same way as from text PDFs.

- :func:`ocr_pdf_pages` is what the PDF reader calls for pages without a text layer: pages rendered with
  pypdfium2 at :data:`PDF_DPI`, read two at a time.
- :func:`read_image` is the reader of PNG, JPEG and TIFF files (a multi-page TIFF gives several pages).

The words and rules of each page are cached as JSON under ``$POLICYKG_CACHE/ocr`` (default
``~/.cache/policykg/ocr``), keyed by the SHA-256 of the file's bytes, the page, the Tesseract version and
the dpi: building a store again does not read the scans again.

Tesseract runs as a subprocess of pytesseract, so pages are read in parallel by threads (each starting its
own ``tesseract`` process with ``OMP_THREAD_LIMIT=1``): the work is in the subprocesses, and nothing is
pickled or forked.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ...errors import Errors, InputError
from ..document import Document
from .base import register_reader
from .geometry import Page, Rule, Word, pages_document

__all__ = ["PDF_DPI", "OCR_WORKERS", "ocr_image", "ocr_pdf_pages", "read_image", "image_pages", "tesseract_version",
           "cache_dir"]

PDF_DPI = 300  # scanned PDF pages are rendered at this resolution
_TARGET_DPI = 300  # images coarser than _UPSCALE_BELOW dpi are enlarged to about this
_UPSCALE_BELOW = 220
OCR_WORKERS = 2  # tesseract processes at a time
_LANG = "vie"
_PSM = 3  # automatic layout: "one block" (6) reads table pages worse (stray marks between columns)
_CACHE_VERSION = 1  # bump when the preprocessing changes what a page gives
_A4_LONG_INCHES = 11.69
_RULE_INCHES = 0.25  # the shortest ruling line found, in inches
_MAX_TIFF_PAGES = 2000


class _Missing(Exception):
    """Tesseract or its Vietnamese data is not there."""


def tesseract_version(file: str = "") -> str:
    """The version of Tesseract (with its ``vie`` data checked); :class:`InputError` E111 when either is missing."""
    try:
        import pytesseract
    except ImportError as exc:
        raise InputError(Errors.E111.format(file=file or None, detail=f"the Python package pytesseract is missing ({exc})")) from None
    try:
        version = str(pytesseract.get_tesseract_version()).split()[0]
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - not installed, not runnable, too old (SystemExit)
        detail = f"the tesseract program cannot be run ({type(exc).__name__}: {str(exc).strip()[:120]})"
        raise InputError(Errors.E111.format(file=file or None, detail=detail.replace("\n", " "))) from None
    try:
        languages = pytesseract.get_languages(config="")
    except Exception:  # noqa: BLE001 - as if no language were installed
        languages = []
    if _LANG not in languages:
        raise InputError(Errors.E111.format(file=file or None, detail="its Vietnamese data (vie) is not installed"))
    return version


def cache_dir() -> Path:
    """Where OCR results are kept: ``$POLICYKG_CACHE/ocr``, else ``~/.cache/policykg/ocr``."""
    root = os.environ.get("POLICYKG_CACHE")
    return Path(root) / "ocr" if root else Path.home() / ".cache" / "policykg" / "ocr"


def _cache_path(digest: str, page: int, version: str, dpi: float) -> Path:
    return cache_dir() / f"{digest[:2]}" / f"{digest}-p{page}-t{version}-d{round(dpi)}-v{_CACHE_VERSION}.json"


def _load(path: Path) -> Page | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Page(data["number"], data["width"], data["height"], [Word(**w) for w in data["words"]],
                    [Rule(**r) for r in data["rules"]])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _store(path: Path, page: Page) -> None:
    """Write the page's JSON atomically (a crash leaves no half file); a cache that cannot be written is skipped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(asdict(page), handle, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError:
        pass


# --- one page -----------------------------------------------------------------------------------------

def _gray(image: Any) -> Any:
    """The image as a 2-D uint8 array (PIL image or numpy array of any mode)."""
    import numpy as np
    from PIL import Image

    if isinstance(image, Image.Image):
        if image.mode in {"I;16", "I;16B", "I;16L", "I"}:
            array = np.asarray(image, dtype=np.float64)
            top = array.max() or 1.0
            return (array * 255.0 / top).astype(np.uint8)
        if image.mode in {"RGBA", "LA", "PA"} or (image.mode == "P" and "transparency" in image.info):
            back = Image.new("RGBA", image.size, (255, 255, 255, 255))
            back.alpha_composite(image.convert("RGBA"))
            image = back
        return np.asarray(image.convert("L"))
    array = np.asarray(image)
    if array.ndim == 3:
        import cv2

        array = cv2.cvtColor(array[:, :, :3].astype(np.uint8), cv2.COLOR_RGB2GRAY)
    return array.astype(np.uint8)


def _dpi_of(image: Any, gray: Any) -> float:
    """The image's resolution: what its metadata says, else what makes its long side an A4 page."""
    info = getattr(image, "info", {}) or {}
    dpi = info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        value = 0.0
    if 50 <= value <= 1200:
        return value
    return max(72.0, max(gray.shape) / _A4_LONG_INCHES)


def _segments(mask: Any, horizontal: bool, minimum: int) -> list[tuple[int, int, int, int]]:
    """The long straight runs of ``mask`` (a binary image, ink = 255) along one axis, as (x0, y0, x1, y1)."""
    import cv2

    length = max(8, minimum)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1) if horizontal else (1, length))
    lines = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
    # close small breaks along the line (faint scanner pixels), then take each connected run
    bridge = cv2.getStructuringElement(cv2.MORPH_RECT, (9, 1) if horizontal else (1, 9))
    lines = cv2.morphologyEx(lines, cv2.MORPH_CLOSE, bridge)
    count, _, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    out = []
    for k in range(1, count):
        x, y, w, h = (int(v) for v in stats[k][:4])
        if (w if horizontal else h) < length:
            continue
        if horizontal:
            out.append((x, y + h // 2, x + w, y + h // 2))
        else:
            out.append((x + w // 2, y, x + w // 2, y + h))
    return out


def _find_rules(binary: Any, dpi: float) -> tuple[list[tuple[int, int, int, int]], Any]:
    """Ruling lines of ``binary`` (ink = 255), in pixels, and the mask of their pixels (to erase them)."""
    import cv2
    import numpy as np

    minimum = int(round(_RULE_INCHES * dpi))
    horizontal = _segments(binary, True, minimum)
    vertical = _segments(binary, False, minimum)
    mask = np.zeros_like(binary)
    thick = max(2, int(round(dpi / 75)))
    for x0, y0, x1, y1 in horizontal + vertical:
        cv2.line(mask, (x0, y0), (x1, y1), 255, thick)
    return horizontal + vertical, mask


def _binarise(gray: Any) -> Any:
    """Ink = 255 on 0 (Otsu's threshold: the light watermark and paper tone drop out)."""
    import cv2

    _, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return binary


def _tesseract_words(image: Any, scale: float) -> list[Word]:
    """Tesseract's words of ``image`` (black on white uint8) with boxes times ``scale`` and confidence 0-1."""
    import pytesseract
    from PIL import Image

    data = pytesseract.image_to_data(Image.fromarray(image), lang=_LANG, config=f"--psm {_PSM}",
                                     output_type=pytesseract.Output.DICT)
    words = []
    for k, text in enumerate(data["text"]):
        try:
            conf = float(data["conf"][k])
        except (TypeError, ValueError):
            continue
        text = (text or "").strip()
        if conf < 0 or not text:
            continue
        left, top, width, height = (data[key][k] for key in ("left", "top", "width", "height"))
        words.append(Word(text, round(left * scale, 2), round(top * scale, 2), round((left + width) * scale, 2),
                          round((top + height) * scale, 2), round(min(1.0, max(0.0, conf / 100.0)), 3)))
    return words


def ocr_image(image: Any, page_number: int, dpi: float | None = None) -> Page:
    """One page image (PIL image or numpy array) read into a :class:`Page` in points: Tesseract's words with
    their confidence (0-1) and the ruling lines found on it. ``dpi`` defaults to the image's own (or A4's)."""
    import cv2

    gray = _gray(image)
    dpi = float(dpi or _dpi_of(image, gray))
    factor = 1.0
    if dpi < _UPSCALE_BELOW:
        factor = _TARGET_DPI / dpi
        gray = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
    binary = _binarise(gray)
    segments, mask = _find_rules(binary, dpi * factor)
    clean = cv2.bitwise_not(cv2.bitwise_and(binary, cv2.bitwise_not(mask)))
    to_points = 72.0 / (dpi * factor)
    words = _tesseract_words(clean, to_points)
    rules = [Rule(round(x0 * to_points, 2), round(y0 * to_points, 2), round(x1 * to_points, 2),
                  round(y1 * to_points, 2)) for x0, y0, x1, y1 in segments]
    height, width = gray.shape
    return Page(page_number, round(width * to_points, 2), round(height * to_points, 2), words, rules)


# --- many pages ----------------------------------------------------------------------------------------

def _progress(total: int, file: str) -> Callable[[], None]:
    """A step function printing OCR progress on stderr: a tqdm bar on a terminal, else a line per page."""
    done = [0]
    bar = None
    if total > 1 and sys.stderr.isatty():
        try:
            from tqdm import tqdm

            bar = tqdm(total=total, desc=f"OCR {file}", unit="page", file=sys.stderr, leave=False)
        except ImportError:
            bar = None

    def step() -> None:
        done[0] += 1
        if bar is not None:
            bar.update(1)
            if done[0] == total:
                bar.close()
        elif total > 1:
            print(f"OCR page {done[0]}/{total} ({file})", file=sys.stderr, flush=True)

    return step


def _ocr_pages(data: bytes, file: str, numbers: list[int], dpi_of: Callable[[int], float],
               render: Callable[[int], Any]) -> list[Page]:
    """Pages ``numbers`` of a file: from the cache, else rendered (``render(n)``, in this thread: renderers
    are not thread-safe) and read by Tesseract, :data:`OCR_WORKERS` at a time."""
    version = tesseract_version(file)
    digest = hashlib.sha256(data).hexdigest()
    pages: dict[int, Page] = {}
    todo: list[int] = []
    for number in numbers:
        cached = _load(_cache_path(digest, number, version, dpi_of(number)))
        if cached is not None:
            pages[number] = cached
        else:
            todo.append(number)
    if todo:
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one core per tesseract process
        step = _progress(len(todo), file)
        workers = max(1, min(OCR_WORKERS, os.cpu_count() or 1, len(todo)))

        def work(number: int, image: Any) -> Page:
            page = ocr_image(image, number, dpi_of(number))
            _store(_cache_path(digest, number, version, dpi_of(number)), page)
            return page

        with ThreadPoolExecutor(max_workers=workers) as pool:
            pending: deque[tuple[int, Any]] = deque()
            for number in todo:  # render ahead of the readers by one page at most: memory stays bounded
                while len(pending) > workers:
                    done, future = pending.popleft()
                    pages[done] = future.result()
                    step()
                pending.append((number, pool.submit(work, number, render(number))))
            while pending:
                done, future = pending.popleft()
                pages[done] = future.result()
                step()
    return [pages[n] for n in numbers]


def ocr_pdf_pages(data: bytes, numbers: list[int], file: str) -> list[Page]:
    """The pages ``numbers`` (1-based) of the PDF ``data`` rendered at :data:`PDF_DPI` and read by OCR, as
    positioned words and ruling lines in PDF points."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        def render(number: int) -> Any:
            page = pdf[number - 1]
            try:
                return page.render(scale=PDF_DPI / 72.0, grayscale=True).to_pil()
            finally:
                page.close()

        return _ocr_pages(data, file, list(numbers), lambda _n: float(PDF_DPI), render)
    finally:
        pdf.close()


def _frames(data: bytes, file: str) -> list[Any]:
    """The frames of an image file (several for a multi-page TIFF), each loaded."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        frames = []
        for frame in ImageSequence.Iterator(image):
            if len(frames) >= _MAX_TIFF_PAGES:
                break
            copy = frame.copy()
            copy.info.setdefault("dpi", image.info.get("dpi"))
            frames.append(copy)
        return frames
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError) as exc:
        raise InputError(Errors.E105.format(file=file, detail=f"not a readable image ({type(exc).__name__}: {exc})"[:200])) from None


def image_pages(data: bytes, file: str) -> list[Page]:
    """The pages of an image file (PNG, JPEG, TIFF; a multi-page TIFF gives several) read by OCR, in points."""
    frames = _frames(data, file)
    dpis = [_dpi_of(frame, _gray(frame)) for frame in frames]
    return _ocr_pages(data, file, list(range(1, len(frames) + 1)), lambda n: dpis[n - 1], lambda n: frames[n - 1])


def read_image(data: bytes, file: str) -> Document:
    """A scanned page image (PNG, JPEG, TIFF; a multi-page TIFF gives several pages) read by OCR."""
    return pages_document(image_pages(data, file), file, "image")


def _register(names: Iterable[tuple[str, tuple[str, ...], tuple[bytes, ...]]]) -> None:
    for name, suffixes, magic in names:
        register_reader(name, read_image, suffixes, binary=True, magic=magic)


_register([("image", (".png", ".jpg", ".jpeg", ".tif", ".tiff"),
            (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*"))])
