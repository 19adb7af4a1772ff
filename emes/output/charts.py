"""Charts for documents, drawn with matplotlib as SVG (glyphs become paths, so Thai embeds cleanly).

Import ``plt`` from here: this module selects the Agg backend before pyplot is imported. Chart labels use
the same Thai family as the documents' text (Laksaman from fonts-thai-tlwg when installed).
"""
from __future__ import annotations

import io
from contextlib import contextmanager
from collections.abc import Iterator

import matplotlib

matplotlib.use("Agg")
from matplotlib import font_manager, pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

__all__ = ["THAI_FONTS", "figure_svg", "plt", "thai_chart_style"]

_PREFERRED_FONTS = ["Laksaman", "Sarabun", "Garuda", "Loma", "DejaVu Sans"]


def _thai_fonts() -> list[str]:
    """The preferred Thai families that are installed (matplotlib warns on every missing one)."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return [name for name in _PREFERRED_FONTS if name in installed] or ["DejaVu Sans"]


#: Font families for chart text, Thai first.
THAI_FONTS = _thai_fonts()


@contextmanager
def thai_chart_style(font_size: int = 12) -> Iterator[None]:
    """matplotlib settings for a document chart: the Thai font at ``font_size`` pt, text stored as paths."""
    with plt.rc_context({"font.family": THAI_FONTS, "font.size": font_size, "svg.fonttype": "path"}):
        yield


def figure_svg(fig: Figure) -> str:
    """The SVG text of ``fig`` (from ``<svg`` on, ready to inline in HTML); closes the figure."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]
