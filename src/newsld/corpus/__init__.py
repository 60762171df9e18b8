"""Records: reading the corpus folder and its YAML into checked models.

Owns the corpus files (``dataset.yaml``, ``registry.yaml``, ``articles/``: opening a corpus,
its settings, registry, record paths and records in :mod:`.reader`), safe YAML with positions
(:mod:`.yamlsource`), the record models (:mod:`.records`), partial dates (:mod:`.dates`) and
reading files bounded and inside the corpus (:mod:`.files`).

May import: :mod:`newsld.findings`. Nothing from a later stage.
"""
