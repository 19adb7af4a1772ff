"""HTML-to-PDF rendering with WeasyPrint (Thai text in a TH Sarabun-family font from fontconfig)."""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render ``template_name`` (a Django template under ``templates/reports/pdf/``) to PDF bytes.

    Documents are official Thai texts, so they are always rendered in Thai. Raises whatever
    WeasyPrint raises on a broken document; callers record it on the job.
    """
    with translation.override("th"):
        html = render_to_string(template_name, {"font_family": settings.EMES_PDF_FONT_FAMILY, **context})
    return html_to_pdf(html)


def html_to_pdf(html: str) -> bytes:
    """PDF bytes of a finished HTML document (relative URLs resolve from the project's base directory)."""
    from weasyprint import HTML  # imported lazily: loading Pango costs ~0.5 s

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
