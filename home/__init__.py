"""The home page and navigation: an app on top of the domain apps (issue 14)."""
