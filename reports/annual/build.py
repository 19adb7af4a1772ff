"""Build the annual report book (รายงานผลการดำเนินงานประจำปีงบประมาณ) as PDF bytes (docs/annual-report.md)."""
from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from emes.models import Office
from emes.output.pdf import html_to_pdf
from plans.measures import Achievement

from . import charts
from .data import BookData, book_data
from .digits import apply_digits
from .images import field_image, path_image
from .narrative import Narrative
from .summary import draft_executive_summary_from

TEMPLATE = "reports/pdf/annual/book.html"


@dataclass
class Figure:
    caption: str
    uri: str


def book_html(office: Office, fiscal_year: int, *, narrative=None, progress=lambda pct: None) -> tuple[str, BookData]:
    """The final HTML of the book (digits already in the narrative's style) and its data."""
    narrative = narrative or Narrative()
    digits = getattr(narrative, "digits", "thai") or "thai"
    with translation.override("th"):
        data = book_data(office, fiscal_year, progress=progress)
        budget = data.budget
        res = data.results
        svg = {
            "cumulative": charts.cumulative_disbursement([c.pct for c in budget.total.cumulative], budget.targets, digits=digits),
            "strategies": charts.budget_bars([f"กลยุทธ์ที่ {r.code}" for r in budget.strategies], [r.allocated for r in budget.strategies],
                                             [r.disbursed for r in budget.strategies], digits=digits),
            "achievement": charts.achievement_pie(res.counts[Achievement.ACHIEVED], res.counts[Achievement.NOT_ACHIEVED],
                                                  res.counts[Achievement.NOT_REPORTED], digits=digits),
        }
        progress(55)
        photos = [Figure(p.caption, uri) for p in (getattr(narrative, "photos", None) or []) if (uri := path_image(getattr(p, "path", None)))]
        emblem = field_image(office.emblem)
        summary = (getattr(narrative, "executive_summary", "") or "").strip() or draft_executive_summary_from(data)
        html = render_to_string(TEMPLATE, {
            "font_family": settings.EMES_PDF_FONT_FAMILY, "data": data, "n": narrative, "charts": svg, "photos": photos,
            "emblem": emblem, "executive_summary": summary, "as_of": getattr(narrative, "as_of", None) or data.as_of,
            "counter_style": "thai" if digits == "thai" else "decimal", "Achievement": Achievement,
            "summary_is_draft": not (getattr(narrative, "executive_summary", "") or "").strip(),
        })
    return apply_digits(html, digits), data


def build_annual_report_pdf(office: Office, fiscal_year: int, *, progress=lambda pct: None, narrative=None) -> bytes:
    """The annual report of ``office`` for ``fiscal_year`` (BE) as PDF bytes.

    ``narrative``: a :class:`reports.annual.narrative.Narrative` or any object with its attributes
    (``None`` = empty: the executive summary is then the generated draft, marked as such).
    ``progress`` is called with percentages 10-95 as the build advances. Raises what WeasyPrint
    raises on a broken document; the job records it.
    """
    progress(10)
    html, _data = book_html(office, fiscal_year, narrative=narrative, progress=progress)
    progress(60)
    pdf = html_to_pdf(html)
    progress(95)
    return pdf
