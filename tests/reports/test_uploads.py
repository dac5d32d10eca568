"""Uploads: every hostile file is built here, in memory, so the suite needs nothing on disk."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re
import struct
import warnings
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from PIL import Image
from pypdf import PdfWriter
from pypdf.actions import JavaScript

from reports.filing.uploads import (
    MAX_FILE_BYTES,
    MAX_FILES,
    MAX_IMAGE_PIXELS,
    ProcessedUpload,
    check_count,
    process_upload,
    random_storage_name,
    safe_display_name,
)

GPS_IFD = 0x8825
MAKE = 0x010F
ORIENTATION = 0x0112
SCRIPT = b"<script>alert(1)</script>"


# --- Fixture builders ------------------------------------------------------------------
def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def camera_exif(orientation: int | None = None) -> Image.Exif:
    """EXIF as a phone writes it: the maker and where the photo was taken."""
    exif = Image.Exif()
    exif[MAKE] = "Camera maker"
    exif[GPS_IFD] = {1: "N", 2: (44.0, 58.0, 12.5), 3: "W", 4: (93.0, 15.0, 30.0)}
    if orientation is not None:
        exif[ORIENTATION] = orientation
    return exif


def image_bytes(fmt: str, size=(16, 12), mode="RGB", color="red", **save_args) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, fmt, **save_args)
    return buffer.getvalue()


def jpeg(**save_args) -> bytes:
    return image_bytes("JPEG", **save_args)


def png(**save_args) -> bytes:
    return image_bytes("PNG", **save_args)


def webp(**save_args) -> bytes:
    return image_bytes("WEBP", **save_args)


def animated(fmt: str) -> bytes:
    frames = [Image.new("RGB", (16, 12), color) for color in ("red", "blue", "lime")]
    buffer = io.BytesIO()
    frames[0].save(buffer, fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A PNG of a few dozen bytes whose header claims width x height 1-bit pixels."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + png_chunk(b"IEND", b"")
    )


def written_pdf(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    return written_pdf(writer)


def handmade_pdf(catalog: bytes = b"", page: bytes = b"", extra: tuple[bytes, ...] = ()) -> bytes:
    """A one-page PDF with a classic xref table; extra objects are numbered from 4."""
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] " + page + b" >>",
        *extra,
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(bodies) + 1,
        xref,
    )
    return bytes(out)


def stream_object(body: bytes, dictionary: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(body), dictionary, body)


def pdf_with_compressed_open_action(action: bytes) -> bytes:
    """The catalog's /OpenAction points at object 4, packed into a Flate-compressed object
    stream (5) listed by an xref stream (6): invisible to any scan of the raw bytes."""
    packed_header = b"4 0 "
    packed = zlib.compress(packed_header + action)
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}

    def add(number: int, body: bytes) -> None:
        offsets[number] = len(out)
        out.extend(b"%d 0 obj\n%s\nendobj\n" % (number, body))

    add(1, b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>")
    add(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    add(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>")
    add(5, stream_object(packed, b"/Type /ObjStm /N 1 /First %d /Filter /FlateDecode" % 4))
    xref = len(out)
    rows = [
        (0, 0, 0xFFFF),
        (1, offsets[1], 0),
        (1, offsets[2], 0),
        (1, offsets[3], 0),
        (2, 5, 0),  # object 4: in object stream 5, at index 0
        (1, offsets[5], 0),
        (1, xref, 0),
    ]
    table = b"".join(struct.pack(">BIH", *row) for row in rows)
    add(6, stream_object(table, b"/Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R"))
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


class EndlessZeros(io.RawIOBase):
    """An upload that never ends, counting what is read from it."""

    def __init__(self) -> None:
        self.served = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        buffer[:] = bytes(len(buffer))
        self.served += len(buffer)
        return len(buffer)


def refusal(uploaded: UploadedFile) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        process_upload(uploaded)
    return caught.value


def message(error: ValidationError) -> str:
    return error.messages[0]


def opened(result: ProcessedUpload) -> Image.Image:
    image = Image.open(io.BytesIO(result.content))
    image.load()
    return image


# --- Accepted files --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "content", "content_type", "extension", "display_name", "pillow_format"),
    [
        ("photo.jpg", jpeg(), "image/jpeg", ".jpg", "photo.jpg", "JPEG"),
        ("photo.JPG", jpeg(), "image/jpeg", ".jpg", "photo.jpg", "JPEG"),
        ("photo.jpeg", jpeg(), "image/jpeg", ".jpg", "photo.jpg", "JPEG"),
        ("x.php.jpg", jpeg(), "image/jpeg", ".jpg", "x.php.jpg", "JPEG"),
        ("screenshot.png", png(), "image/png", ".png", "screenshot.png", "PNG"),
        ("picture.webp", webp(), "image/webp", ".webp", "picture.webp", "WEBP"),
        ("scan.PDF", blank_pdf(), "application/pdf", ".pdf", "scan.pdf", None),
    ],
)
def test_accepts_each_type_and_names_it_by_its_content(
    name, content, content_type, extension, display_name, pillow_format
):
    result = process_upload(upload(name, content))

    assert result.content_type == content_type
    assert result.extension == extension
    assert result.display_name == display_name
    assert result.size == len(result.content)
    assert result.sha256 == hashlib.sha256(result.content).hexdigest()
    if pillow_format:
        assert opened(result).format == pillow_format


def test_the_browsers_content_type_does_not_matter():
    result = process_upload(upload("photo.png", png(), content_type="text/html"))

    assert result.content_type == "image/png"


def test_a_pdf_is_stored_byte_for_byte():
    original = blank_pdf()

    result = process_upload(upload("letter.pdf", original))

    assert result.content == original


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(handmade_pdf(catalog=b"/OpenAction [3 0 R /Fit]"), id="opens-on-page-one"),
        pytest.param(
            handmade_pdf(
                page=b"/Annots [4 0 R]",
                extra=(
                    b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] "
                    b"/A << /S /URI /URI (https://example.org/) >> >>",
                ),
            ),
            id="web-link",
        ),
        pytest.param(
            # Compressed pictures hold random bytes; "/JS" turns up in them by chance.
            handmade_pdf(
                page=b"/Contents 4 0 R",
                extra=(stream_object(b"% noise /JS /Launch noise\n"),),
            ),
            id="js-bytes-inside-a-stream",
        ),
        pytest.param(
            handmade_pdf(catalog=b"/JSONData (x) /AAA 1"), id="names-that-only-start-alike"
        ),
    ],
)
def test_a_pdf_without_active_content_is_accepted_unchanged(content):
    assert process_upload(upload("statement.pdf", content)).content == content


def test_a_file_of_exactly_ten_megabytes_is_accepted_and_its_padding_dropped():
    photo = jpeg()
    padded = photo + b"\x00" * (MAX_FILE_BYTES - len(photo))

    result = process_upload(upload("photo.jpg", padded))

    assert len(padded) == MAX_FILE_BYTES
    assert result.size < 10_000


# --- Images are re-encoded without their metadata --------------------------------------
def test_gps_location_and_camera_details_are_removed_from_a_jpeg():
    original = jpeg(exif=camera_exif(), comment=b"Taken at 1234 Elm Street")
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the fixture has GPS

    result = process_upload(upload("photo.jpg", original))

    cleaned = opened(result)
    assert not cleaned.getexif()
    assert not cleaned.getexif().get_ifd(GPS_IFD)
    assert "exif" not in cleaned.info
    assert "comment" not in cleaned.info
    assert b"Camera maker" not in result.content
    assert b"Elm Street" not in result.content


@pytest.mark.parametrize(("fmt", "name"), [("PNG", "shot.png"), ("WEBP", "shot.webp")])
def test_gps_location_is_removed_from_png_and_webp(fmt, name):
    original = image_bytes(fmt, exif=camera_exif(), xmp=b"<x:xmpmeta>Elm Street</x:xmpmeta>")
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)

    result = process_upload(upload(name, original))

    cleaned = opened(result)
    assert not cleaned.getexif()
    assert "xmp" not in cleaned.info
    assert b"Camera maker" not in result.content
    assert b"Elm Street" not in result.content


def test_png_text_chunks_are_removed():
    from PIL.PngImagePlugin import PngInfo

    text = PngInfo()
    text.add_text("Comment", "Home: 1234 Elm Street")
    original = png(pnginfo=text)

    result = process_upload(upload("shot.png", original))

    assert b"Elm Street" not in result.content
    assert "Comment" not in opened(result).info


def test_a_sideways_phone_photo_is_turned_upright():
    # 20 wide, 10 high: red on the left, blue on the right; orientation 6 says "turn 90°
    # clockwise to display", which brings the red half to the top.
    sideways = Image.new("RGB", (20, 10), "blue")
    sideways.paste(Image.new("RGB", (10, 10), "red"), (0, 0))
    buffer = io.BytesIO()
    sideways.save(buffer, "JPEG", exif=camera_exif(orientation=6), quality=95)

    result = process_upload(upload("photo.jpg", buffer.getvalue()))

    upright = opened(result)
    assert upright.size == (10, 20)
    top_red, _, top_blue = upright.getpixel((5, 2))
    bottom_red, _, bottom_blue = upright.getpixel((5, 17))
    assert top_red > 200 and top_blue < 60
    assert bottom_blue > 200 and bottom_red < 60
    assert ORIENTATION not in upright.getexif()


@pytest.mark.parametrize(("fmt", "name"), [("PNG", "anim.png"), ("WEBP", "anim.webp")])
def test_an_animated_picture_keeps_only_its_first_frame(fmt, name):
    result = process_upload(upload(name, animated(fmt)))

    still = opened(result)
    assert not getattr(still, "is_animated", False)
    assert still.convert("RGB").getpixel((0, 0))[0] > 200  # red, the first frame


def test_a_phone_photo_with_a_second_picture_inside_becomes_one_jpeg():
    # Many phones save MPO: a JPEG with more pictures (depth, HDR) after the first.
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), "red").save(
        buffer, "MPO", save_all=True, append_images=[Image.new("RGB", (16, 12), "blue")]
    )

    result = process_upload(upload("IMG_0001.jpg", buffer.getvalue()))

    assert opened(result).format == "JPEG"
    assert getattr(opened(result), "n_frames", 1) == 1


@pytest.mark.parametrize(
    ("name", "content", "expected_mode"),
    [
        ("print.jpg", jpeg(mode="CMYK", color=(0, 255, 255, 0)), "RGB"),
        ("grey.jpg", jpeg(mode="L", color=128), "L"),
        ("palette.png", png(mode="P", color=1, transparency=0), "RGBA"),
        ("bilevel.png", png(mode="1", color=1), "L"),
        ("alpha.png", png(mode="RGBA", color=(255, 0, 0, 128)), "RGBA"),
        ("deep.png", png(mode="I;16", color=40_000), "I;16"),
        ("alpha.webp", webp(mode="RGBA", color=(255, 0, 0, 128)), "RGBA"),
    ],
)
def test_colour_modes_are_converted_to_what_the_format_holds(name, content, expected_mode):
    result = process_upload(upload(name, content))

    assert opened(result).mode == expected_mode


# --- Refused: size and emptiness -------------------------------------------------------
def test_an_empty_file_is_refused_by_name():
    error = refusal(upload("photo.jpg", b""))

    assert error.code == "empty"
    assert message(error).startswith("The file photo.jpg is empty")


def test_a_file_over_ten_megabytes_is_refused_before_it_is_decoded():
    # A JPEG start and nothing after: decoding it would say "damaged", not "too large".
    error = refusal(upload("big.jpg", b"\xff\xd8\xff" + bytes(11 * 1024 * 1024)))

    assert error.code == "too_large"
    assert message(error).startswith("big.jpg is larger than 10 MB")


def test_a_file_larger_than_its_stated_size_is_still_refused():
    content = b"\xff\xd8\xff" + bytes(MAX_FILE_BYTES)
    lying = UploadedFile(io.BytesIO(content), name="small.jpg", size=100)

    assert refusal(lying).code == "too_large"


def test_an_endless_upload_is_read_no_further_than_the_limit():
    stream = EndlessZeros()
    endless = UploadedFile(io.BufferedReader(stream), name="endless.jpg", size=None)

    error = refusal(endless)

    assert error.code == "too_large"
    assert stream.served <= MAX_FILE_BYTES + 1024 * 1024


# --- Refused: disguised and unknown types ----------------------------------------------
SVG_WITH_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body>" + SCRIPT + b"</body></html>"
EXE = b"MZ\x90\x00" + bytes(1020)
ZIP = b"PK\x03\x04" + bytes(26) + b"word/document.xml" + bytes(64)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("evidence.jpg", EXE, "image/jpeg"),
        ("doc.pdf", ZIP, "application/pdf"),
        ("pic.png", SVG_WITH_SCRIPT, "image/png"),
        ("pic.svg", SVG_WITH_SCRIPT, "image/svg+xml"),
        ("page.html", HTML, "text/html"),
        ("page.jpg", HTML, "image/jpeg"),
        ("notes.txt", b"The bike was blue.", "text/plain"),
        ("anim.gif", image_bytes("GIF"), "image/gif"),
        ("bitmap.png", image_bytes("BMP"), "image/png"),
        ("tiff.jpg", image_bytes("TIFF"), "image/jpeg"),
        # PDF readers accept junk before "%PDF-": how zip/PDF polyglots are made.
        ("poly.pdf", ZIP + blank_pdf(), "application/pdf"),
    ],
)
def test_a_file_that_is_not_jpeg_png_webp_or_pdf_inside_is_refused(name, content, content_type):
    error = refusal(upload(name, content, content_type))

    assert error.code == "bad_type"
    assert message(error).startswith(f"{name} is not a JPEG, PNG, WebP or PDF file")


@pytest.mark.parametrize(
    ("name", "content", "shown_as"),
    [
        ("screenshot.jpg", png(), "screenshot.jpg"),
        ("screenshot.pdf", png(), "screenshot.pdf"),
        ("photo.jpg.exe", jpeg(), "photo.jpg.exe"),
        ("photo", jpeg(), "photo"),
        ("report.png", blank_pdf(), "report.png"),
        ("photo.webp", jpeg(), "photo.webp"),
        # The right-to-left override shows "photo\u202egpj.exe" as "photoexe.jpg".
        ("photo\u202egpj.exe", jpeg(), "photogpj.exe"),
    ],
)
def test_a_name_whose_last_extension_disagrees_with_the_content_is_refused(name, content, shown_as):
    error = refusal(upload(name, content))

    assert error.code == "name_mismatch"
    assert message(error).startswith(f"The name of {shown_as} does not match")


# --- Refused: damaged and oversized pictures -------------------------------------------
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("cut.png", png(size=(64, 64))[:-40]),
        ("cut.jpg", jpeg(size=(64, 64))[: len(jpeg(size=(64, 64))) // 2]),
        ("cut.webp", webp(size=(64, 64))[:40]),
        ("magic-only.jpg", b"\xff\xd8\xff"),
        ("html-with-jpeg-magic.jpg", b"\xff\xd8\xff\xe0" + HTML),
        ("noise.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4),
    ],
)
def test_a_truncated_or_corrupt_picture_is_refused(name, content):
    error = refusal(upload(name, content))

    assert error.code == "damaged"
    assert message(error).startswith(f"{name} could not be opened. It may be damaged")


@pytest.mark.parametrize(
    "size",
    [
        (30_000, 30_000),  # past twice Pillow's own limit: Pillow itself refuses
        (10_000, 10_000),  # past Pillow's limit: only a warning, made an error
        (7_000, 7_000),  # under Pillow's limit, over ours
    ],
)
def test_a_picture_claiming_too_many_pixels_is_refused_before_decoding(size):
    error = refusal(upload("bomb.png", png_claiming(*size)))

    assert error.code == "too_many_pixels"


def test_a_real_compressed_picture_over_the_pixel_cap_is_refused():
    bomb = image_bytes("PNG", size=(8_000, 8_000), mode="1", color=0)
    assert len(bomb) < 100_000
    assert MAX_IMAGE_PIXELS < 8_000 * 8_000

    assert refusal(upload("bomb.png", bomb)).code == "too_many_pixels"


def test_refusing_a_bomb_leaves_pillows_limit_and_warning_filters_alone():
    pillows_limit = Image.MAX_IMAGE_PIXELS
    filters = list(warnings.filters)

    refusal(upload("bomb.png", png_claiming(10_000, 10_000)))

    assert pillows_limit == Image.MAX_IMAGE_PIXELS
    assert filters == list(warnings.filters)


# --- Polyglots: refused, or stored without the hidden part -----------------------------
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.jpg", jpeg() + b"<html><body>" + SCRIPT + b"</body></html>"),
        ("photo.jpg", jpeg(comment=SCRIPT)),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + HTML),
        ("shot.png", png() + HTML),
        ("shot.png", png() + b"<!--" + SCRIPT),
        ("pic.webp", webp() + HTML),
    ],
)
def test_a_picture_with_a_web_page_inside_never_stores_the_script(name, content):
    try:
        result = process_upload(upload(name, content))
    except ValidationError:
        return  # refused is fine too

    assert b"<script" not in result.content.lower()
    assert b"<html" not in result.content.lower()


# --- Refused: PDFs ---------------------------------------------------------------------
def _pdf_with_writer_js() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_open_action(JavaScript("app.alert(1)"))
    return written_pdf(writer)


def _pdf_with_attachment() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_attachment("invoice.exe", EXE)
    return written_pdf(writer)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(_pdf_with_writer_js(), id="document-javascript"),
        pytest.param(_pdf_with_attachment(), id="embedded-file"),
        pytest.param(
            handmade_pdf(catalog=b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
            id="open-action-javascript",
        ),
        pytest.param(
            handmade_pdf(catalog=b"/OpenAction << /S /Launch /F (calc.exe) >>"),
            id="open-action-launch",
        ),
        pytest.param(
            handmade_pdf(catalog=b"/AA << /WC << /S /JavaScript /JS (x) >> >>"),
            id="catalog-additional-actions",
        ),
        pytest.param(
            handmade_pdf(page=b"/AA << /O << /S /JavaScript /JS (x) >> >>"),
            id="page-additional-actions",
        ),
        pytest.param(
            handmade_pdf(
                page=b"/Annots [4 0 R]",
                extra=(
                    b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] "
                    b"/A << /S /JavaScript /JS (app.alert(1)) >> >>",
                ),
            ),
            id="link-running-javascript",
        ),
        pytest.param(
            handmade_pdf(catalog=b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>"),
            id="names-spelt-with-escapes",
        ),
        pytest.param(
            handmade_pdf(catalog=b"/AcroForm << /Fields [] /XFA 4 0 R >>", extra=(b"[]",)),
            id="xfa-form",
        ),
        pytest.param(
            # No reader would reach it, but the raw scan is deliberately conservative.
            handmade_pdf(extra=(b"<< /S /JavaScript /JS (app.alert(1)) >>",)),
            id="unreferenced-script-object",
        ),
        pytest.param(
            pdf_with_compressed_open_action(b"<< /S /JavaScript /JS (app.alert(1)) >>"),
            id="javascript-hidden-in-compressed-object-stream",
        ),
    ],
)
def test_a_pdf_with_scripts_actions_or_attachments_is_refused(content):
    error = refusal(upload("statement.pdf", content))

    assert error.code == "pdf_active_content"
    assert message(error).startswith("statement.pdf contains scripts")


def test_the_compressed_object_stream_fixture_is_a_working_pdf():
    # Without this, the hidden-JavaScript case above could pass for the wrong reason.
    harmless = pdf_with_compressed_open_action(b"[3 0 R /Fit]")
    hidden = pdf_with_compressed_open_action(b"<< /S /JavaScript /JS (app.alert(1)) >>")

    assert process_upload(upload("doc.pdf", harmless)).content == harmless
    assert b"JavaScript" not in hidden


@pytest.mark.parametrize("user_password", ["secret", ""])
def test_a_password_protected_pdf_is_refused(user_password):
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt(user_password=user_password, owner_password="owner-secret")

    error = refusal(upload("bank.pdf", written_pdf(writer)))

    assert error.code == "encrypted"
    assert "Remove the password and upload it again" in message(error)


def test_a_pdf_without_pages_is_refused():
    error = refusal(upload("empty.pdf", written_pdf(PdfWriter())))

    assert error.code == "no_pages"


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\nthis is not really a PDF\n",
        b"%PDF-",
        blank_pdf()[:60],
    ],
)
def test_a_pdf_that_does_not_open_is_refused(content):
    error = refusal(upload("broken.pdf", content))

    assert error.code in {"damaged", "no_pages"}
    assert message(error).startswith("broken.pdf")


# --- Names -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("photo.jpg", "photo.jpg"),
        ("../../etc/passwd.jpg", "passwd.jpg"),
        ("C:\\Users\\me\\Pictures\\car.png", "car.png"),
        ("..\\..\\windows\\win.ini.pdf", "win.ini.pdf"),
        ("<script>alert(1)</script>.jpg", "script.jpg"),  # "/" is a folder separator
        ("<b>alert(1)<b>.jpg", "balert(1)b.jpg"),
        ("bad\x00name\x1b[31m.jpg", "badname31m.jpg"),
        ("photo\u202egpj.exe", "photogpj.exe"),
        ("caf\u0065\u0301.jpg", "caf\u00e9.jpg"),  # decomposed é made one character
        ("  my \t photo \n of  the car.jpg", "my photo of the car.jpg"),
        ("...hidden.png", "hidden.png"),
        (".jpg", "file.jpg"),
        ("", "file"),
        ("???", "file"),
        ("фото машины.jpg", "фото машины.jpg"),
        ("写真 (2).png", "写真 (2).png"),
        ("चोरी.pdf", "चोरी.pdf"),  # Devanagari keeps its vowel signs
        ("report_2024-05-01.PDF", "report_2024-05-01.pdf"),
        ("name; rm -rf ~.jpg", "name rm -rf.jpg"),
    ],
)
def test_safe_display_name(given, shown):
    assert safe_display_name(given) == shown


def test_a_very_long_name_is_cut_to_100_characters_keeping_its_extension():
    shown = safe_display_name("a" * 500 + ".jpeg")

    assert len(shown) <= 100
    assert shown.endswith(".jpeg")


def test_a_long_names_extension_is_normalized_within_100_characters():
    result = process_upload(upload("b" * 300 + ".jpeg", jpeg()))

    assert len(result.display_name) <= 100
    assert result.display_name.endswith("b.jpg")


def test_the_display_name_of_a_traversal_name_has_no_folders():
    result = process_upload(upload("../../etc/passwd.jpg", jpeg()))

    assert result.display_name == "passwd.jpg"


def test_storage_names_are_random_and_say_nothing_about_the_file():
    names = {random_storage_name(".jpg") for _ in range(50)}

    assert len(names) == 50
    assert all(re.fullmatch(r"[0-9a-f]{32}\.jpg", name) for name in names)


@pytest.mark.parametrize("ext", ["jpg", "../x.jpg", ".jpg/../../x", ".JPG", ""])
def test_storage_names_refuse_anything_but_a_plain_extension(ext):
    with pytest.raises(ValueError):
        random_storage_name(ext)


# --- Count -----------------------------------------------------------------------------
@pytest.mark.parametrize(("existing", "adding"), [(0, 1), (4, 1), (0, 5), (3, 2), (5, 0)])
def test_up_to_five_files_are_allowed(existing, adding):
    check_count(existing, adding)


@pytest.mark.parametrize(("existing", "adding"), [(5, 1), (3, 3), (0, 6), (10, 1)])
def test_more_than_five_files_are_refused(existing, adding):
    with pytest.raises(ValidationError) as caught:
        check_count(existing, adding)

    assert caught.value.code == "too_many"
    assert message(caught.value).startswith(f"You can add up to {MAX_FILES} files")


def test_the_result_cannot_be_changed_after_the_checks():
    result = process_upload(upload("photo.jpg", jpeg()))

    with pytest.raises(dataclasses.FrozenInstanceError):
        result.content = b"<script>"  # type: ignore[misc]
