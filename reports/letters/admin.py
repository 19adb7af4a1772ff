"""Admin for the letters (registered by reports/admin.py)."""
