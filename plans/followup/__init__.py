"""Follow-up views of the quarterly reports: completeness and timeliness, disbursement, indicator tracking, exports (issue 5)."""
