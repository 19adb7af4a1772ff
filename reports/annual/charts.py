"""Charts of the annual report: matplotlib SVG in the document's Thai font (``emes.output.charts``).

Digits in chart labels follow the document's digit style (``digits``), since SVG glyphs are paths
and the HTML digit pass (``reports.annual.digits``) cannot reach them.
"""
from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from emes.output.charts import figure_svg, plt, thai_chart_style

from .digits import to_thai


def _fmt(digits: str):
    return (lambda s: to_thai(s)) if digits == "thai" else (lambda s: s)


def cumulative_disbursement(pcts: Sequence[Decimal | None], targets: Sequence[Decimal | None], *, digits: str) -> str:
    """Line chart (SVG) of the office's cumulative disbursement (% of allocation) at the end of Q1-Q4 against the targets."""
    f = _fmt(digits)
    with thai_chart_style(12):
        fig, ax = plt.subplots(figsize=(7.0, 3.2))
        xs = [1, 2, 3, 4]
        ax.plot(xs, [float(p) if p is not None else float("nan") for p in pcts], marker="o", color="#1f4e8c", label="เบิกจ่ายสะสม")
        if any(t is not None for t in targets):
            ax.plot(xs, [float(t) if t is not None else float("nan") for t in targets], marker="s", ls="--", color="#c0392b", label="เป้าหมายสะสมของรัฐบาล")
        ax.set_xticks(xs, [f(f"ไตรมาส {q}") for q in xs])
        ax.set_ylim(0, 105)
        ax.set_yticks(range(0, 101, 20), [f(str(v)) for v in range(0, 101, 20)])
        ax.set_ylabel("ร้อยละของงบประมาณ")
        ax.grid(axis="y", alpha=0.3)
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(loc="upper left", frameon=False)
        return figure_svg(fig)


def budget_bars(labels: Sequence[str], allocated: Sequence[Decimal], disbursed: Sequence[Decimal], *, digits: str) -> str:
    """Horizontal bars (SVG) of allocation vs reviewed disbursement per label, in thousands of baht."""
    f = _fmt(digits)
    with thai_chart_style(12):
        fig, ax = plt.subplots(figsize=(7.0, max(2.5, 0.6 * len(labels) + 1)))
        ys = range(len(labels))
        ax.barh([y + 0.2 for y in ys], [float(v) / 1000 for v in allocated], height=0.38, color="#9db4d6", label="งบประมาณที่ได้รับจัดสรร")
        ax.barh([y - 0.2 for y in ys], [float(v) / 1000 for v in disbursed], height=0.38, color="#1f4e8c", label="เบิกจ่าย (ตรวจสอบแล้ว)")
        ax.set_yticks(list(ys), [f(label) for label in labels])
        ax.invert_yaxis()
        ax.set_xlabel("พันบาท")
        ax.xaxis.set_major_formatter(lambda v, _pos: f(f"{v:,.0f}"))
        ax.grid(axis="x", alpha=0.3)
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(loc="lower right", frameon=False)
        return figure_svg(fig)


def achievement_pie(achieved: int, not_achieved: int, not_reported: int, *, digits: str) -> str:
    """Pie (SVG) of project indicators achieved / not achieved / without a reviewed result."""
    f = _fmt(digits)
    values = [(achieved, "บรรลุ", "#2e7d32"), (not_achieved, "ไม่บรรลุ", "#c62828"), (not_reported, "ยังไม่มีผลที่ตรวจสอบแล้ว", "#9e9e9e")]
    values = [v for v in values if v[0]]
    with thai_chart_style(12):
        fig, ax = plt.subplots(figsize=(5.5, 3.2))
        if values:
            ax.pie([v[0] for v in values], labels=[f(f"{label} {n}") for n, label, _ in values], colors=[c for *_, c in values],
                   autopct=lambda p: f(f"{p:.1f}%"), startangle=90, counterclock=False, textprops={"fontsize": 11})
        ax.axis("equal")
        return figure_svg(fig)
