"""Quarterly reports: filing, review and approval, evidence files (issue 5)."""
