"""One digit style for a whole document (issue 15; docs/annual-report.md "Digits").

CSS cannot do it: no CSS property maps 0-9 to ๐-๙, and a font feature cannot either (checked with fontTools:
Laksaman's GSUB has only ``ccmp``, ``frac``, ``liga``, ``rlig``; no feature substitutes digits), so the digits
are rewritten in the final HTML's text nodes. Tags, attributes (``href="#s-12"``), ``<style>`` and
inline ``<svg>`` (chart glyphs are already paths) are left alone, so links and CSS keep working.
"""
from __future__ import annotations

import re

from emes.thai import thai_digits

_THAI_TO_ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# A tag, or a whole <style>/<svg>/<script> element, or text between tags.
_TOKENS = re.compile(r"(<(style|svg|script)\b.*?</\2\s*>|<[^>]*>)", re.S | re.I)


#: ``"2569"`` → ``"๒๕๖๙"``: the core's Thai-digit helper.
to_thai = thai_digits


def to_arabic(text: str) -> str:
    """``"๒๕๖๙"`` → ``"2569"``."""
    return text.translate(_THAI_TO_ARABIC)


def apply_digits(html: str, style: str) -> str:
    """``html`` with every digit of its text in ``style`` (``"thai"`` or ``"arabic"``); markup untouched.

    Raises ``ValueError`` for another style.
    """
    if style not in ("thai", "arabic"):
        raise ValueError(f"digit style must be 'thai' or 'arabic', got {style!r}")
    convert = to_thai if style == "thai" else to_arabic
    out = []
    pos = 0
    for m in _TOKENS.finditer(html):
        out.append(convert(html[pos:m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(convert(html[pos:]))
    return "".join(out)
