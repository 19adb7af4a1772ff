"""The annual report as a book (issue 15): chapters from EMES's data, typography, speed.

Public: ``build_annual_report_pdf``, ``draft_executive_summary``, ``Narrative``, ``Photo``. The rules are
in docs/annual-report.md.
"""
from .build import build_annual_report_pdf
from .narrative import Narrative, Photo
from .summary import draft_executive_summary

__all__ = ["build_annual_report_pdf", "draft_executive_summary", "Narrative", "Photo"]
