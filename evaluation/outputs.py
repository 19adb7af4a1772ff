"""The evaluation's documents: the report PDF (Thai, the annual report's typography), the raw answers as Excel, and
the printable QR code page (docs/evaluation.md, "Results").

The PDF's figures come from 7 aggregate queries whatever the number of answers, but a survey of thousands of answers
with many distinct open answers takes WeasyPrint several seconds (bench/evaluation_survey.py, bench/README.md), so
the PDF is built as a job with progress (``evaluation.report_jobs``), and so is the workbook.
"""
from __future__ import annotations

import io

import segno
from django.utils import timezone
from django.utils.safestring import mark_safe
from openpyxl import Workbook

from emes.output.excel import write_only_header, write_only_row
from emes.output.pdf import render_pdf

from .charts import section_means_chart
from .models import Answer, Evaluation, FormItem
from .results import evaluation_results
from .selectors import target_label
from .services import form_items


def report_pdf(evaluation: Evaluation, *, progress=lambda p: None) -> bytes:
    """The evaluation report as PDF bytes: the interpretation rule, each section's items (n, mean, S.D., band,
    distribution), the section chart, open answers with counts. ``progress`` is called with a percentage."""
    data = evaluation_results(evaluation)
    progress(30)
    label, _url = target_label(evaluation)
    chart = section_means_chart(data)
    progress(40)
    return render_pdf("reports/pdf/evaluation_report.html", {
        "ev": evaluation, "data": data, "target_label": label, "chart": mark_safe(chart),  # noqa: S308 — SVG we drew
        "generated_at": timezone.now(),
    })


def answers_workbook(evaluation: Evaluation) -> bytes:
    """The raw answers: one row per response (a running number, never a person), one column per item.

    Written with openpyxl's write-only mode, row by row as the answers stream in response order (constant memory);
    5,000 responses still take 2–5 s here (bench/README.md), so the page builds it as a job (``evaluation.report_jobs``).
    Queries: 2 (items; answers streamed in response order), whatever the number of answers.
    """
    items = form_items(evaluation.form)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("คำตอบ")
    write_only_header(ws, [("ลำดับ", 8, None), ("วันที่ตอบ", 14, None), *((f"{n}. {i.text}"[:120], 18, None) for n, i in enumerate(items, start=1))])
    column = {item.pk: n for n, item in enumerate(items)}
    kinds = {item.pk: item.kind for item in items}
    number_of, current, row = 0, None, None
    for response_id, day, item_id, number, text in (Answer.objects.filter(response__evaluation=evaluation)
                                                     .order_by("response_id", "item_id")
                                                     .values_list("response_id", "response__submitted_on", "item_id", "number", "text").iterator(chunk_size=5000)):
        if response_id != current:
            if row is not None:
                write_only_row(ws, row)
            number_of, current = number_of + 1, response_id
            row = [number_of, day, *([None] * len(items))]
        if item_id in column:
            kind = kinds[item_id]
            row[2 + column[item_id]] = text if kind in (FormItem.Kind.TEXT, FormItem.Kind.CHOICE) else (
                ("ใช่" if number == 1 else "ไม่ใช่") if kind == FormItem.Kind.YES_NO else number)
    if row is not None:
        write_only_row(ws, row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as inline SVG (segno; error correction M, no XML declaration)."""
    qr = segno.make(url, error="m")
    buf = io.BytesIO()
    qr.save(buf, kind="svg", scale=8, border=2, xmldecl=False, svgns=True, nl=False)
    return buf.getvalue().decode()
