"""Registry: see the module docstrings."""
