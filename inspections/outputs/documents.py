"""The round report PDF and the follow-up report PDF (WeasyPrint through ``reports.pdf.render_pdf``).

The round report is a document job with progress (``emes.documents``, issue 18): a round of 304 units takes
about 8.8 s (``bench/inspection_round_report.py``, bench/README.md), so it is never built in a request; the
builder below is registered in ``InspectionsConfig.ready``, as is the one of the responses workbook (1.09 s). The follow-up report (a year's recommendations) is
small and still built in the request.
"""
from __future__ import annotations

import datetime as dt

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _, override

from emes.output.pdf import render_pdf

from .. import standards
from ..models import AnswerKind, FormDispatch
from . import charts
from .data import FollowUpReport, RoundReport, round_report


def response_chart(report: RoundReport) -> str:
    """The response bar of the round (SVG): within 30 working days, later, draft, not started vs the 80 % line."""
    rate = report.rate
    counts = report.status_counts
    segments = [
        (_("Within 30 working days"), rate.on_time, charts.ON_TIME),
        (_("Submitted later"), rate.late, charts.LATE),
        (_("Draft saved"), counts.get(FormDispatch.Status.DRAFT, 0), charts.DRAFT),
        (_("Not started"), counts.get(FormDispatch.Status.NOT_STARTED, 0), charts.NOT_STARTED),
    ]
    return charts.response_bar(
        segments, standard_pct=standards.ANSWERS_MIN_PCT, xlabel=_("Share of the units the form was sent to (%)"),
        standard_label=_("standard %(pct)s%%") % {"pct": int(standards.ANSWERS_MIN_PCT)},
    )


def achievement_chart(report: RoundReport) -> str | None:
    """Bars of the share of units reaching each numeric target / answering yes (SVG), or ``None`` when no such indicator."""
    labels, values = [], []
    for block in report.blocks:
        for n, result in enumerate(block.results, start=1):
            q = result.question
            if q.kind == AnswerKind.YES_NO or (q.kind == AnswerKind.NUMBER and result.target is not None):
                code = (block.issue.code or str(block.issue.order)) if block.issue else "-"
                labels.append(_("Indicator %(code)s.%(n)s") % {"code": code, "n": n})
                values.append(result.achievement_pct)
    if not labels:
        return None
    return charts.achievement_bars(labels, values, xlabel=_("Units reaching the target, or answering yes (%)"), empty_label=_("no answer"))


def round_report_pdf(report: RoundReport) -> bytes:
    """PDF bytes of the round report (รายงานผลการตรวจราชการ) of ``report`` (see :func:`data.round_report`)."""
    with override("th"):
        response_svg = response_chart(report) if report.board.rows else None
        achievement_svg = achievement_chart(report)
    return render_pdf("reports/pdf/inspection_round.html", {
        "data": report, "r": report.round,
        "response_chart": mark_safe(response_svg) if response_svg else None,  # noqa: S308 — SVG we drew
        "achievement_chart": mark_safe(achievement_svg) if achievement_svg else None,  # noqa: S308
        "min_pct": standards.ANSWERS_MIN_PCT, "answer_days": standards.ANSWERS_WORKING_DAYS,
    })


#: The kind of the round report in ``emes.documents`` (its target is the round's id).
ROUND_REPORT = "inspections.round-report"


def round_report_filename(round) -> str:
    return f"inspection-round-{round.office.area_code}-{round.fiscal_year}-{round.number}.pdf"


def build_round_report_document(job, progress) -> tuple[str, bytes]:
    """Builder of ``emes.documents`` for ``ROUND_REPORT``: ``(filename, pdf)`` of round ``job.target_id`` of
    ``job.office``, as of the day it runs. Raises ``LookupError`` when the round is gone or of another office."""
    from ..models import InspectionRound

    r = InspectionRound.objects.filter(office=job.office, pk=job.target_id).select_related("office").first()
    if r is None:
        raise LookupError("inspection round not found")
    report = round_report(r)
    progress(30)
    return round_report_filename(r), round_report_pdf(report)


#: The kind of the responses workbook in ``emes.documents`` (its target is the round's id): 1.09 s for 304 units
#: (bench/README.md), above the issue's ~1 s, so it is built as a job too.
RESPONSES_XLSX = "inspections.responses-xlsx"


def responses_filename(round) -> str:
    return f"inspection-responses-{round.office.area_code}-{round.fiscal_year}-{round.number}.xlsx"


def build_responses_workbook_document(job, progress) -> tuple[str, bytes]:
    """Builder of ``emes.documents`` for ``RESPONSES_XLSX``: ``(filename, xlsx)`` of the units' responses of round
    ``job.target_id`` of ``job.office`` (``exports.responses_workbook``), as of the day it runs. Raises
    ``LookupError`` when the round is gone or of another office."""
    from ..models import InspectionRound
    from .exports import responses_workbook

    r = InspectionRound.objects.filter(office=job.office, pk=job.target_id).select_related("office").first()
    if r is None:
        raise LookupError("inspection round not found")
    progress(10)
    return responses_filename(r), responses_workbook(r)


def build_round_report_pdf(round, *, today: dt.date | None = None) -> bytes:
    """Read ``round`` (an ``InspectionRound`` with ``office`` loaded) and render its report PDF."""
    return round_report_pdf(round_report(round, today=today))


def follow_up_pdf(report: FollowUpReport) -> bytes:
    """PDF bytes of the recommendations follow-up report of a fiscal year (see :func:`data.follow_up_report`)."""
    return render_pdf("reports/pdf/inspection_follow_up.html", {"data": report})
