"""The chart of an evaluation's results: the mean of each rated section (1–5) with the band limits (emes.output.charts)."""
from __future__ import annotations

from emes.output.charts import figure_svg, plt, thai_chart_style

from .results import EvaluationResults


def section_means_chart(data: EvaluationResults) -> str:
    """SVG of horizontal bars, one per section with ratings (mean, two decimals); ``""`` when nothing is rated."""
    rows = [(s.section.title, float(s.stat.mean)) for s in data.rating_sections if s.stat.mean is not None]
    if not rows:
        return ""
    with thai_chart_style(11):
        fig, ax = plt.subplots(figsize=(7.2, 0.55 * len(rows) + 1.0))
        labels = [t if len(t) <= 40 else t[:39] + "…" for t, _m in rows][::-1]
        means = [m for _t, m in rows][::-1]
        bars = ax.barh(labels, means, color="#1f4e8c", height=0.55)
        for bar, m in zip(bars, means):
            ax.annotate(f"{m:.2f}", (bar.get_width(), bar.get_y() + bar.get_height() / 2), xytext=(3, 0),
                        textcoords="offset points", va="center", fontsize=10)
        for low, _label in data.bands[:-1]:
            ax.axvline(float(low), color="#adb5bd", linewidth=0.8, linestyle=":")
        ax.set_xlim(1, 5.4)
        ax.set_xlabel("ค่าเฉลี่ย (๑–๕)")
        ax.spines[["top", "right"]].set_visible(False)
        return figure_svg(fig)
