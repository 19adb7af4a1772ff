"""The life of the annual report (รายงานผลการดำเนินงานประจำปี): its versions, narrative, approval, publication.

The rules and their source (the M&E manual, ข้อ ๑.๖): docs/annual-report.md, section "The life of a report".
The book itself (chapters, typography) is built by ``reports.annual.build_annual_report_pdf``.
"""
