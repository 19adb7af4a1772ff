"""Admin of the calendar events and feeds (imported by emes/admin.py)."""
