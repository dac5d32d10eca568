"""Checking and cleaning the photos and documents residents attach to a report.

Anyone can upload without an account, so every file is treated as hostile until proven
otherwise:

* The type is decided by the file's CONTENT (its first bytes), never by its name or the
  content type the browser sent: both are chosen by the sender. The name's last extension
  must still agree with the content, so that a file never looks like one thing to a person
  and like another to a program (a PNG named ``.pdf``, ``photo.jpg.exe``).
* Photos are fully decoded and RE-ENCODED. That drops everything but the pixels: EXIF
  (the GPS position a phone records can reveal where a victim lives or hides), XMP,
  comments and anything appended after the picture (a JPEG with a web page stuck to its
  end). Decoding everything also turns away truncated and corrupt files, and a pixel cap
  turns away "decompression bombs" (a tiny file that claims to be gigapixels wide).
* PDFs are stored as they are, after checks: they must open and have a page, must not be
  password-protected (staff could not read them) and must not carry scripts, automatic
  actions or attached files, which a PDF reader could run on a staff computer.
* The name the resident gave is kept only for display, cleaned of paths and odd
  characters; files are stored under a random name that says nothing about the sender.

Checked files wait in private temporary storage (PendingUpload) until the report or
supplement they belong to is filed; reports.filing.services moves them for good.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import secrets
import unicodedata
import uuid
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile, ImageOps
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
MAX_DISPLAY_NAME_LENGTH = 100
# A real PDF of 10 MB has far fewer objects; a file that makes us walk more is refused
# rather than allowed to keep a worker busy.
MAX_PDF_NODES = 500_000
logger = logging.getLogger(__name__)

_READ_CHUNK_BYTES = 64 * 1024
JPEG_QUALITY = 90
WEBP_QUALITY = 90


@dataclass(frozen=True)
class _Kind:
    label: str  # how residents know the type, used in messages
    content_type: str
    extension: str  # the one we store and show
    accepted_extensions: frozenset[str]  # what the resident's file name may end in
    pillow_formats: tuple[str, ...]  # empty for PDF


JPEG = _Kind("JPEG", "image/jpeg", ".jpg", frozenset({".jpg", ".jpeg"}), ("JPEG",))
PNG = _Kind("PNG", "image/png", ".png", frozenset({".png"}), ("PNG",))
WEBP = _Kind("WebP", "image/webp", ".webp", frozenset({".webp"}), ("WEBP",))
PDF = _Kind("PDF", "application/pdf", ".pdf", frozenset({".pdf"}), ())


@dataclass(frozen=True)
class ProcessedUpload:
    content: bytes  # what to store (re-encoded image or checked PDF)
    content_type: str  # "image/jpeg" | "image/png" | "image/webp" | "application/pdf"
    extension: str  # ".jpg" | ".png" | ".webp" | ".pdf"
    display_name: str  # sanitized original name, extension normalized to the detected type
    size: int  # len(content)
    sha256: str  # hex digest of content


# --- Messages: plain words, naming the file -------------------------------------------
MESSAGES = {
    "too_many": _("You can add up to %(max)s files to a report. Remove one to add another."),
    "empty": _("The file %(name)s is empty. Choose the file again, or choose another one."),
    "too_large": _(
        "%(name)s is larger than %(limit)s MB. Make it smaller (for example, send the "
        "photo at a smaller size) and upload it again."
    ),
    "bad_type": _(
        "%(name)s is not a JPEG, PNG, WebP or PDF file. Upload a photo or picture in one "
        "of those types, or a PDF."
    ),
    "name_mismatch": _(
        "The name of %(name)s does not match what is in it: it is a %(kind)s file, so its "
        "name should end in %(extension)s. Rename it and upload it again."
    ),
    "damaged": _(
        "%(name)s could not be opened. It may be damaged or only partly saved. Open it on "
        "your device to check it, then upload it again."
    ),
    "too_many_pixels": _(
        "%(name)s is a picture too large for us to open (more than %(megapixels)s million "
        "pixels). Make it smaller and upload it again."
    ),
    "encrypted": _(
        "%(name)s is protected with a password. Remove the password and upload it again."
    ),
    "no_pages": _("%(name)s has no pages. Check that it is the right file."),
    "pdf_active_content": _(
        "%(name)s contains scripts, automatic actions or attached files, which we cannot "
        "accept. Print it to a new PDF (“Save as PDF”) and upload that copy instead."
    ),
}


def _refuse(code: str, **params: Any) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params=params)


# --- Names -----------------------------------------------------------------------------
_EXTENSION = re.compile(r"\.[^\W_]{1,10}\Z")
_STORAGE_EXTENSION = re.compile(r"\.[a-z0-9]{1,10}\Z")
_ALLOWED_PUNCTUATION = frozenset(" ._-()")


def _keep_char(char: str) -> bool:
    # Letters and digits of any script (with their combining marks, which scripts such as
    # Devanagari need); everything else (slashes, quotes, angle brackets, controls, the
    # right-to-left override that makes "gpj.exe" look like "exe.jpg") is dropped.
    category = unicodedata.category(char)
    return char in _ALLOWED_PUNCTUATION or category[0] in "LM" or category == "Nd"


def _basename(name: str) -> str:
    # Both separators: a name from Windows arrives as "C:\\Users\\me\\photo.jpg".
    return re.split(r"[/\\]", name)[-1]


def _split_extension(name: str) -> tuple[str, str]:
    match = _EXTENSION.search(name)
    if not match:
        return name, ""
    return name[: match.start()], match.group().lower()


def _join_capped(stem: str, extension: str) -> str:
    stem = stem[: MAX_DISPLAY_NAME_LENGTH - len(extension)].rstrip(" .")
    return (stem or "file") + extension


def safe_display_name(name: str) -> str:
    """The resident's file name made safe to show: no folders, no control or odd characters,
    at most 100 characters with the extension kept. Never use it to store the file."""
    name = unicodedata.normalize("NFC", _basename(name or ""))
    name = "".join(" " if char.isspace() else char for char in name)
    name = "".join(char for char in name if _keep_char(char))
    name = " ".join(name.split())
    stem, extension = _split_extension(name)
    return _join_capped(stem.lstrip(". "), extension)


def random_storage_name(ext: str) -> str:
    """A name to store a file under: random, so it reveals nothing about the sender and cannot
    be guessed; ``ext`` is the extension of the DETECTED type, e.g. ``".jpg"``."""
    if not _STORAGE_EXTENSION.match(ext):
        raise ValueError(f"Not a file extension: {ext!r}")
    return secrets.token_hex(16) + ext


def _last_extension(name: str) -> str:
    # Only the last one counts: "x.php.jpg" is a .jpg name, "photo.jpg.exe" an .exe one.
    base = unicodedata.normalize("NFC", _basename(name or "")).strip()
    if "." not in base:
        return ""
    return "." + base.rsplit(".", 1)[1].strip().lower()


# --- Count and size --------------------------------------------------------------------
def check_count(existing: int, adding: int = 1) -> None:
    """Refuse when a report would end up with more than MAX_FILES files."""
    if existing < 0 or adding < 0:
        raise ValueError("File counts cannot be negative.")
    if existing + adding > MAX_FILES:
        raise _refuse("too_many", max=MAX_FILES)


def _read_capped(uploaded: UploadedFile, name: str) -> bytes:
    too_large = _refuse("too_large", name=name, limit=MAX_FILE_BYTES // (1024 * 1024))
    # The size Django measured lets us refuse a huge upload without reading any of it.
    if uploaded.size is not None and uploaded.size > MAX_FILE_BYTES:
        raise too_large
    # The stated size may not be the truth: read one byte past the limit at most.
    buffer = bytearray()
    for chunk in uploaded.chunks(chunk_size=_READ_CHUNK_BYTES):
        buffer += chunk[: MAX_FILE_BYTES + 1 - len(buffer)]
        if len(buffer) > MAX_FILE_BYTES:
            raise too_large
    return bytes(buffer)


# --- Type by content -------------------------------------------------------------------
def _detect_kind(data: bytes) -> _Kind | None:
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    # At the very start only: readers tolerate junk before it, which is how PDF polyglots
    # (a zip or web page that is also a PDF) are made.
    if data.startswith(b"%PDF-"):
        return PDF
    return None


# --- Images ----------------------------------------------------------------------------
def _output_mode(image: Image.Image, kind: _Kind) -> str:
    mode = image.mode
    has_alpha = "A" in mode or "transparency" in image.info
    if kind is JPEG:
        return mode if mode in ("L", "RGB") else "RGB"  # JPEG holds greyscale or RGB only
    if kind is PNG:
        if mode == "1":
            return "L"
        if mode in ("L", "LA", "RGB", "RGBA", "I", "I;16") and "transparency" not in image.info:
            return mode
        return "RGBA"  # palettes, 1-bit and tRNS transparency, as plain RGBA
    return "RGBA" if has_alpha else "RGB"  # WebP


def _reencode_image(data: bytes, kind: _Kind, name: str) -> bytes:
    too_many_pixels = _refuse(
        "too_many_pixels", name=name, megapixels=MAX_IMAGE_PIXELS // 1_000_000
    )
    # WeasyPrint turns Pillow's LOAD_TRUNCATED_IMAGES on for the whole process when it is
    # imported (the case-copy renderer); a resident's truncated upload must still fail.
    load_truncated = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        # Pillow warns (and past twice its own limit, fails) when a header claims a huge
        # size; make that warning an error for this call only, leaving Pillow's globals be.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=kind.pillow_formats) as image:
                # Our own, lower, cap: checked on the header, before any pixel is decoded.
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise too_many_pixels
                image.seek(0)  # animated pictures: the first frame only
                image.load()  # decode everything, so a truncated file fails here
                frame: Image.Image = image
                try:
                    # Turn the picture the way the camera meant (phones store it sideways).
                    frame = ImageOps.exif_transpose(image) or image
                except Exception:  # unreadable EXIF: keep the picture as it was stored
                    frame = image
                mode = _output_mode(frame, kind)
                if frame.mode != mode:
                    frame = frame.convert(mode)
                # A fresh image holds pixels only: nothing of the original's info (EXIF,
                # XMP, ICC, comments, text chunks) can ride along into the saved file.
                clean = Image.new(mode, frame.size)
                clean.paste(frame)
    except ValidationError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise too_many_pixels from None
    except Exception:  # hostile input: any decoder failure means "damaged"
        raise _refuse("damaged", name=name) from None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = load_truncated

    out = io.BytesIO()
    if kind is JPEG:
        clean.save(out, "JPEG", quality=JPEG_QUALITY)
    elif kind is PNG:
        clean.save(out, "PNG")
    else:
        clean.save(out, "WEBP", quality=WEBP_QUALITY)
    return out.getvalue()


# --- PDFs ------------------------------------------------------------------------------
# Names that make a PDF do things: scripts, actions run on opening or on events (an
# /OpenAction that only opens page 1 is harmless; one that is a script action is caught by
# its /S), programs launched, files carried inside, XML forms (which carry scripts) and
# Flash-era media.
_ACTIVE_PDF_KEYS = frozenset(
    {
        "/JavaScript",
        "/JS",
        "/AA",
        "/Launch",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/EF",
        "/XFA",
        "/RichMedia",
    }
)
_RUNNING_ACTIONS = frozenset({"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute"})
_PDF_REFUSED_NAMES = _ACTIVE_PDF_KEYS | _RUNNING_ACTIONS
# A name ends at white space, a delimiter or the end of the file: "/JSON" is not "/JS".
_PDF_NAME_END = rb"(?=[\x00\t\n\x0c\r ()<>\[\]{}/%]|\Z)"
_PDF_NAME_CHARS = rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]"
_PDF_ESCAPED_NAME = re.compile(rb"/(" + _PDF_NAME_CHARS + rb"*#" + _PDF_NAME_CHARS + rb"*)")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_ACTIVE_NAME = re.compile(
    rb"/(?:%s)" % b"|".join(re.escape(name[1:].encode()) for name in sorted(_PDF_REFUSED_NAMES))
    + _PDF_NAME_END
)
_PDF_STREAM_START = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")


class _PdfTooComplex(Exception):
    pass


def _outside_stream_bodies(data: bytes) -> bytes:
    """The file without its stream bodies (pictures, fonts, compressed page text).

    Their bytes are effectively random, and three random bytes spell "/JS" about once in
    16 MB: scanning them would refuse many honest scans. Objects hidden inside compressed
    streams are reached by the structural check instead. A plain find() keeps this linear
    even on a file made of nothing but "stream" keywords.
    """
    parts = []
    position = 0
    while match := _PDF_STREAM_START.search(data, position):
        parts.append(data[position : match.start()])
        end = data.find(b"endstream", match.end())
        if end == -1:
            # Unterminated: scan the rest rather than trust it.
            position = match.end()
            break
        position = end + len(b"endstream")
    parts.append(data[position:])
    return b" ".join(parts)


def _raw_pdf_has_active_names(data: bytes) -> bool:
    """Whether any active name is written in the file outside stream bodies, including
    names spelt with #xx escapes (``/J#61vaScript`` is ``/JavaScript`` to a PDF reader)."""
    text = _outside_stream_bodies(data)
    if _PDF_ACTIVE_NAME.search(text):
        return True
    for match in _PDF_ESCAPED_NAME.finditer(text):
        raw = _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1))
        if "/" + raw.decode("latin-1") in _PDF_REFUSED_NAMES:
            return True
    return False


def _pdf_has_active_content(reader: PdfReader) -> bool:
    """Walk every object reachable from the trailer (catalog and its /Names, /OpenAction and
    /AA, pages, annotations, form fields...) for scripts, automatic actions and attached
    files. This also sees objects packed in compressed object streams and names spelt with
    #xx escapes, which the raw scan cannot."""
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [reader.trailer]
    visited = 0
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            reference = (node.idnum, node.generation)
            if reference in seen:
                continue
            seen.add(reference)
            node = node.get_object()
        visited += 1
        if visited > MAX_PDF_NODES:
            raise _PdfTooComplex
        if isinstance(node, DictionaryObject):  # also stream dictionaries
            # Raw values: references stay references, so the seen set stops cycles.
            for key, value in dict.items(node):
                if key in _ACTIVE_PDF_KEYS:
                    return True
                if key == "/S" and value in _RUNNING_ACTIONS:
                    return True
                if key == "/Type" and value == "/EmbeddedFile":
                    return True
                stack.append(value)
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return False


def _check_pdf(data: bytes, name: str) -> bytes:
    # Conservative first pass over the bytes, before any parser sees them.
    if _raw_pdf_has_active_names(data):
        raise _refuse("pdf_active_content", name=name)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        # Staff could not open it, and we could not check what is inside.
        if reader.is_encrypted:
            raise _refuse("encrypted", name=name)
        if len(reader.pages) < 1:
            raise _refuse("no_pages", name=name)
        if _pdf_has_active_content(reader):
            raise _refuse("pdf_active_content", name=name)
    except ValidationError:
        raise
    except Exception:  # hostile input: any parser failure means "damaged"
        raise _refuse("damaged", name=name) from None
    return data  # stored unchanged: rewriting could lose what the document shows


# --- The whole check -------------------------------------------------------------------
def process_upload(uploaded: UploadedFile) -> ProcessedUpload:
    """Check one uploaded file and return what to store, or raise ValidationError with a
    message for the resident."""
    original_name = uploaded.name or ""
    name = safe_display_name(original_name)  # the only form of the name that is shown

    data = _read_capped(uploaded, name)
    if not data:
        raise _refuse("empty", name=name)

    kind = _detect_kind(data)
    if kind is None:
        raise _refuse("bad_type", name=name)
    if _last_extension(original_name) not in kind.accepted_extensions:
        raise _refuse(
            "name_mismatch",
            name=name,
            kind=kind.label,
            extension=kind.extension,
        )

    content = _check_pdf(data, name) if kind is PDF else _reencode_image(data, kind, name)
    stem, _extension = _split_extension(name)
    return ProcessedUpload(
        content=content,
        content_type=kind.content_type,
        extension=kind.extension,
        display_name=_join_capped(stem, kind.extension),
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


# --- Staging: checked files wait in private temporary storage -----------------------


@dataclass(frozen=True)
class PendingUpload:
    """A checked upload waiting in private temporary storage (see process_upload)."""

    storage_name: str
    display_name: str
    content_type: str
    size: int
    sha256: str

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PendingUpload:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__})


def upload_stage(processed) -> PendingUpload:
    """Keep a checked upload (ProcessedUpload) in private temporary
    storage until the report or supplement it belongs to is filed."""
    name = default_storage.save(
        f"wizard-tmp/{uuid.uuid4().hex}{processed.extension}", ContentFile(processed.content)
    )
    return PendingUpload(
        storage_name=name,
        display_name=processed.display_name,
        content_type=processed.content_type,
        size=processed.size,
        sha256=processed.sha256,
    )


def discard_uploads(uploads: Sequence[PendingUpload]) -> None:
    for upload in uploads:
        try:
            default_storage.delete(upload.storage_name)
        except OSError:
            logger.warning("could not delete temporary upload %s", upload.storage_name)
