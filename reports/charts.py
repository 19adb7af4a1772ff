"""Charts for documents, drawn with matplotlib as SVG (glyphs become paths, so Thai embeds cleanly)."""
from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from emes.output.charts import THAI_FONTS, figure_svg, plt


def budget_bars(labels: Sequence[str], allocated: Sequence[Decimal], disbursed: Sequence[Decimal]) -> str:
    """A horizontal bar chart (SVG text) of allocated vs disbursed budget per label, in thousands of baht."""
    with plt.rc_context({"font.family": THAI_FONTS, "font.size": 12, "svg.fonttype": "path"}):
        height = max(2.5, 0.6 * len(labels) + 1)
        fig, ax = plt.subplots(figsize=(7.5, height))
        ys = range(len(labels))
        alloc = [float(v) / 1000 for v in allocated]
        disb = [float(v) / 1000 for v in disbursed]
        ax.barh([y + 0.2 for y in ys], alloc, height=0.38, color="#9db4d6", label="งบประมาณที่ได้รับจัดสรร")
        ax.barh([y - 0.2 for y in ys], disb, height=0.38, color="#1f4e8c", label="เบิกจ่าย")
        ax.set_yticks(list(ys), labels)
        ax.invert_yaxis()
        ax.set_xlabel("พันบาท")
        ax.grid(axis="x", alpha=0.3)
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(loc="lower right", frameon=False)
        return figure_svg(fig)


def achievement_pie(achieved: int, not_achieved: int, not_reported: int) -> str:
    """A pie chart (SVG text) of indicators achieved / not achieved / not reported."""
    with plt.rc_context({"font.family": THAI_FONTS, "font.size": 12, "svg.fonttype": "path"}):
        fig, ax = plt.subplots(figsize=(4.2, 3.2))
        values = [achieved, not_achieved, not_reported]
        labels = ["บรรลุ", "ไม่บรรลุ", "ยังไม่รายงาน"]
        colors = ["#2e7d32", "#c62828", "#9e9e9e"]
        pairs = [(v, lab, c) for v, lab, c in zip(values, labels, colors) if v]
        if pairs:
            ax.pie([p[0] for p in pairs], labels=[p[1] for p in pairs], colors=[p[2] for p in pairs],
                   autopct="%1.1f%%", startangle=90, counterclock=False, textprops={"color": "black"})
        ax.axis("equal")
        return figure_svg(fig)
