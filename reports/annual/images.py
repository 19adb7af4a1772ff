"""Images the book embeds: only files Pillow reads as an image, whatever their name (issue 15, bad input)."""
from __future__ import annotations

from pathlib import Path

from PIL import Image, UnidentifiedImageError

#: Formats WeasyPrint embeds.
FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


def image_uri(path: str | None) -> str | None:
    """A ``file://`` URI of ``path`` when it is a readable PNG/JPEG/GIF/WebP image, else ``None`` (never raises)."""
    if not path:
        return None
    try:
        with Image.open(path) as img:
            img.verify()
            if img.format not in FORMATS:
                return None
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return None
    return Path(path).resolve().as_uri()
