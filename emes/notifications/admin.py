"""Admin of the notifications (imported by emes/admin.py)."""
