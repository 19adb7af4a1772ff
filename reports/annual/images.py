"""Images the book embeds: only files Pillow reads as an image, whatever their name (issue 15, bad input).

They are embedded as ``data:`` URIs, so WeasyPrint reads no file itself and any storage backend works.
"""
from __future__ import annotations

import base64
import io

from PIL import Image, UnidentifiedImageError

#: Formats WeasyPrint embeds, with their MIME types.
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
#: Larger files are not embedded (a photo page is not worth a 100 MB PDF).
MAX_BYTES = 15 * 1024 * 1024


def image_data_uri(data: bytes | None) -> str | None:
    """A ``data:`` URI of ``data`` when Pillow reads it as a PNG/JPEG/GIF/WebP image, else ``None`` (never raises)."""
    if not data or len(data) > MAX_BYTES:
        return None
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.verify()
            mime = FORMATS.get(img.format or "")
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    if mime is None:
        return None
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def path_image(path: str | None) -> str | None:
    """:func:`image_data_uri` of the file at ``path`` (``None`` when it is missing or unreadable)."""
    if not path:
        return None
    try:
        with open(path, "rb") as fh:
            return image_data_uri(fh.read(MAX_BYTES + 1))
    except OSError:
        return None


def field_image(field) -> str | None:
    """:func:`image_data_uri` of a ``FileField`` value through its storage (``None`` when empty or unreadable)."""
    if not field:
        return None
    try:
        with field.open("rb") as fh:
            return image_data_uri(fh.read(MAX_BYTES + 1))
    except (OSError, ValueError):
        return None
