"""Documents built as jobs with progress (issue 18: every PDF that can take more than about a second).

One job model for every app (``DocumentJob``), a registry of builders the apps fill in ``AppConfig.ready()``
(:mod:`emes.documents.registry`), one task that claims a job and calls its builder
(:mod:`emes.documents.tasks`), and one status endpoint and download view scoped to the office
(:mod:`emes.documents.views`). The core never imports an app: it asks the registry by kind. docs/documents.md.
"""
