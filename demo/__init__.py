"""The demo office: seeds every app, so it sits on top of them all (issue 14)."""
