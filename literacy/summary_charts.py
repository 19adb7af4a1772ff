"""Charts of the literacy summary PDF: matplotlib SVG in the installed Thai font (``emes.output.charts``)."""
from __future__ import annotations

from matplotlib import pyplot as plt

from emes.output.charts import THAI_FONTS, figure_svg

from .summary import GradeSummary, LevelCounts

#: ดีมาก, ดี, พอใช้, ปรับปรุง: green to red, distinguishable in greyscale print too.
LEVEL_COLORS = ["#1b7837", "#7fbf7b", "#f6c141", "#c62828"]
LEVEL_LABELS = ["ดีมาก", "ดี", "พอใช้", "ปรับปรุง"]
#: The PDF is an official Thai document (``reports.pdf``), so its charts speak Thai whatever the UI language.
SKILL_LABELS = {"reading_aloud": "การอ่านออกเสียง", "reading_comprehension": "การอ่านรู้เรื่อง",
                "writing_words": "การเขียนคำ", "writing_composition": "การเขียนเรื่อง"}


def level_bars(grade: GradeSummary, title: str) -> str:
    """A stacked horizontal bar (SVG text) per skill of ``grade``: the share (%) at each of the four levels.

    Shares are of the students assessed (see ``literacy.summary``); a segment of 6 % or more carries its value.
    """
    rows = grade.skill_rows()
    with plt.rc_context({"font.family": THAI_FONTS, "font.size": 11, "svg.fonttype": "path"}):
        fig, ax = plt.subplots(figsize=(6.8, 2.3))
        ys = list(range(len(rows)))
        left = [0.0] * len(rows)
        for i, (color, label) in enumerate(zip(LEVEL_COLORS, LEVEL_LABELS)):
            widths = [float(_share(counts, i)) for _s, _l, counts in rows]
            ax.barh(ys, widths, left=left, color=color, label=label, height=0.62, edgecolor="white", linewidth=0.5)
            for y, x0, w in zip(ys, left, widths):
                if w >= 6:
                    ax.text(x0 + w / 2, y, f"{w:.1f}", ha="center", va="center", fontsize=9,
                            color="white" if i in (0, 3) else "black")
            left = [a + b for a, b in zip(left, widths)]
        ax.set_yticks(ys, [SKILL_LABELS[skill] for skill, _l, _c in rows])
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel("ร้อยละของนักเรียนที่เข้ารับการประเมิน")
        ax.set_title(title, fontsize=12, loc="left")
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.32), ncol=4, frameon=False)
        return figure_svg(fig)


def _share(counts: LevelCounts, level: int):
    pct = counts.percents[level]
    return pct if pct is not None else 0
