"""Admin for the reminders (registered by reports/admin.py)."""
