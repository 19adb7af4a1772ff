"""Output helpers every app's documents share: PDF (WeasyPrint), charts (matplotlib SVG), Excel (openpyxl).

They know nothing of the apps: a domain app or ``reports`` gives them a template, figures or cells.
"""
