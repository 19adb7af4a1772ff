"""Charts of the round report, drawn with matplotlib as SVG like the annual report's (``emes.output.charts``).

Labels are passed in already translated (documents render in Thai); glyphs become paths, so Thai embeds.
"""
from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from emes.output.charts import THAI_FONTS, figure_svg, plt

ON_TIME, LATE, DRAFT, NOT_STARTED = "#2e7d32", "#f9a825", "#64b5f6", "#bdbdbd"


def response_bar(segments: Sequence[tuple[str, int, str]], *, standard_pct: Decimal, standard_label: str, xlabel: str) -> str:
    """One 100 % stacked bar of the dispatched units by response (label, count, colour), with a dashed line at
    ``standard_pct`` (the 80 % standard), as SVG text. Each segment is labelled with its count."""
    total = sum(n for _, n, _ in segments) or 1
    with plt.rc_context({"font.family": THAI_FONTS, "font.size": 11, "svg.fonttype": "path"}):
        fig, ax = plt.subplots(figsize=(7.2, 1.9))
        left = 0.0
        for label, n, colour in segments:
            width = n * 100 / total
            ax.barh([0], [width], left=left, height=0.55, color=colour, label=f"{label} ({n})", edgecolor="white")
            if n and width >= 6:
                ax.text(left + width / 2, 0, str(n), ha="center", va="center", fontsize=11, color="black")
            left += width
        ax.axvline(float(standard_pct), color="#c62828", linestyle="--", linewidth=1.4)
        ax.text(float(standard_pct), 0.42, standard_label, color="#c62828", ha="center", va="bottom", fontsize=10)
        ax.set_xlim(0, 100)
        ax.set_ylim(-0.45, 0.75)
        ax.set_yticks([])
        ax.set_xlabel(xlabel)
        ax.spines[["top", "right", "left"]].set_visible(False)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.45), ncol=min(4, len(segments)), frameon=False, fontsize=10)
        return figure_svg(fig)


def achievement_bars(labels: Sequence[str], values: Sequence[Decimal | None], *, xlabel: str, empty_label: str) -> str:
    """Horizontal bars (SVG text): per indicator, the share (%) of answering units that reached it; ``None`` → no bar,
    ``empty_label`` written instead."""
    with plt.rc_context({"font.family": THAI_FONTS, "font.size": 11, "svg.fonttype": "path"}):
        height = max(1.8, 0.45 * len(labels) + 0.9)
        fig, ax = plt.subplots(figsize=(7.2, height))
        ys = list(range(len(labels)))
        widths = [float(v) if v is not None else 0 for v in values]
        colours = ["#2e7d32" if v is not None and v >= 80 else "#f9a825" if v is not None and v >= 50 else "#c62828" for v in values]
        ax.barh(ys, widths, height=0.6, color=colours)
        for y, v in zip(ys, values):
            text = f"{v:.2f}" if v is not None else empty_label
            ax.text((float(v) if v is not None else 0) + 1, y, text, va="center", fontsize=10)
        ax.set_yticks(ys, labels)
        ax.invert_yaxis()
        ax.set_xlim(0, 110)
        ax.set_xticks([0, 20, 40, 60, 80, 100])
        ax.set_xlabel(xlabel)
        ax.grid(axis="x", alpha=0.3)
        ax.spines[["top", "right"]].set_visible(False)
        return figure_svg(fig)
