"""The printable summary of a literacy round (พิมพ์รายงานสรุป, issue 6) and its workbook, built as document jobs (issue 18).

A 333-school office takes about 8.5 s to lay out as a PDF and 1.7 s to write as a workbook (bench/README.md), so
neither is built in a request: the summary page asks for a build (``emes.documents``) and polls it. Both builders
are registered in ``LiteracyConfig.ready``.
"""
from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone
from django.utils.safestring import mark_safe

from emes.models import Grade
from emes.output.pdf import render_pdf

from .models import LiteracyRound
from .summary import RoundSummary, round_summary
from .summary_charts import level_bars

#: The kinds of the summary PDF and workbook in ``emes.documents`` (their target is the round's id).
SUMMARY_PDF = "literacy.summary"
SUMMARY_XLSX = "literacy.summary-xlsx"


def summary_filename(rnd: LiteracyRound) -> str:
    return f"literacy-summary-{rnd.office.area_code}-{rnd.academic_year}-{rnd.number}.pdf"


def summary_pdf(data: RoundSummary, progress: Callable[[int], None] = lambda pct: None) -> bytes:
    """PDF bytes of the summary ``data``: the office's tables, one level chart per grade (and all grades), the
    clusters, districts, schools and flagged schools (template ``reports/pdf/literacy_summary.html``)."""
    blocks = [*data.office_total.ordered_grades(data.grades)]
    if len(blocks) > 1:
        blocks.append(data.office_total.all_grades)
    charts = []
    for g in blocks:
        title = f"ชั้น {Grade(g.grade).label}" if g.grade in Grade.values else "ทุกชั้นรวมกัน"
        charts.append((g, title, mark_safe(level_bars(g, title))))  # noqa: S308 — SVG we drew
    progress(40)
    return render_pdf("reports/pdf/literacy_summary.html", {"data": data, "charts": charts, "generated_at": timezone.now()})


def _round_of(job) -> LiteracyRound:
    rnd = LiteracyRound.objects.filter(office=job.office, pk=job.target_id).select_related("office").first()
    if rnd is None:
        raise LookupError("literacy round not found")
    return rnd


def build_summary_document(job, progress: Callable[[int], None]) -> tuple[str, bytes]:
    """Builder of ``emes.documents`` for ``SUMMARY_PDF``: ``(filename, pdf)`` of round ``job.target_id`` of ``job.office``.

    Raises ``LookupError`` when the round is gone or belongs to another office.
    """
    rnd = _round_of(job)
    data = round_summary(rnd)
    progress(20)
    return summary_filename(rnd), summary_pdf(data, progress)


def build_summary_workbook_document(job, progress: Callable[[int], None]) -> tuple[str, bytes]:
    """Builder for ``SUMMARY_XLSX``: ``(filename, xlsx)`` of the round's summary (office, clusters, districts and
    schools sheets, ``summary_exports.write_summary_workbook``). Raises ``LookupError`` as the PDF's builder."""
    from .summary_exports import write_summary_workbook

    rnd = _round_of(job)
    data = round_summary(rnd)
    progress(30)
    return summary_filename(rnd).removesuffix(".pdf") + ".xlsx", write_summary_workbook(data)
