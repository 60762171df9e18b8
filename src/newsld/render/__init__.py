"""Render: triples become the release's files.

Owns the streaming writers of Turtle, N-Triples, N-Quads and JSON-LD (:mod:`.serialize`), the
file sink that copies unchanged byte ranges between releases (:mod:`.sink`) and the VoID/DCAT
description and manifest (:mod:`.describe`).

May import: :mod:`newsld.findings`, :mod:`newsld.corpus`, :mod:`newsld.rdf`.
"""
