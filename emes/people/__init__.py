"""People: see the module docstrings."""
