"""Charts of the follow-up pages, drawn with matplotlib as SVG in the style of ``emes.output.charts``
(same Thai fonts, glyphs as paths so the SVG shows the same everywhere, inline in the page)."""
from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as _

# pyplot through emes.output.charts, which selects the Agg backend before pyplot is imported.
from emes.output.charts import THAI_FONTS, figure_svg, plt

FLAG_COLOURS = {"green": "#198754", "amber": "#e0a800", "red": "#dc3545", "grey": "#adb5bd"}


def disbursement_chart(
    cumulative_pct: Sequence[Decimal | None],
    targets: Sequence[Decimal | None],
    flags: Sequence[str],
    *,
    divisions: Sequence[tuple[str, Sequence[Decimal | None]]] = (),
) -> str:
    """SVG of the office's cumulative disbursement (% of the allocation) at the end of Q1..Q4 as bars
    coloured by their flag, the government's cumulative target as a dashed line (quarters without a
    target are left out), and optionally each division's cumulative % as thin lines."""
    with plt.rc_context({"font.family": THAI_FONTS, "font.size": 11, "svg.fonttype": "path"}):
        fig, ax = plt.subplots(figsize=(7.5, 3.6))
        xs = [1, 2, 3, 4]
        values = [float(v) if v is not None else 0.0 for v in cumulative_pct]
        bars = ax.bar(xs, values, width=0.55, color=[FLAG_COLOURS.get(f, FLAG_COLOURS["grey"]) for f in flags],
                      label=_("Office, cumulative disbursed"), zorder=2)
        for bar, v in zip(bars, cumulative_pct):
            if v is not None:
                ax.annotate(f"{float(v):.1f}%", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                            ha="center", va="bottom", fontsize=10, xytext=(0, 2), textcoords="offset points")
        for label, series in divisions:
            ax.plot(xs, [float(v) if v is not None else float("nan") for v in series], color="#6c757d", alpha=0.35,
                    linewidth=0.9, zorder=3)
        points = [(x, float(t)) for x, t in zip(xs, targets) if t is not None]
        if points:
            ax.plot([p[0] for p in points], [p[1] for p in points], linestyle="--", marker="D", color="#1f4e8c",
                    linewidth=1.6, label=_("Government target (cumulative)"), zorder=4)
            for x, t in points:
                ax.annotate(f"{t:.0f}%", (x, t), ha="left", va="bottom", fontsize=9, color="#1f4e8c",
                            xytext=(6, 2), textcoords="offset points")
        if divisions:
            ax.plot([], [], color="#6c757d", alpha=0.5, linewidth=0.9, label=_("Divisions"))
        ax.set_xticks(xs, [_("Q%(n)s") % {"n": n} for n in xs])
        ax.set_ylim(0, 110)
        ax.set_ylabel(_("Share of the allocation (%)"))
        ax.grid(axis="y", alpha=0.3, zorder=0)
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, frameon=False, fontsize=9)
        return figure_svg(fig)
