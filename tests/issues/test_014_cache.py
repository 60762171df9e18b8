"""Issue 14: refitted speaker weights, or any changed extraction module, invalidate the build
cache. When the cache module moved into ``newsld.release`` (issue 13), its digest of "the
toolkit's own code" shrank to that one subpackage: a build after an extraction fix reused the
old claims."""

from __future__ import annotations

from pathlib import Path

import newsld
from newsld.release.cache import toolkit_digest, toolkit_files


def test_the_toolkit_digest_covers_every_stage_and_the_weights() -> None:
    package = Path(newsld.__file__).resolve().parent
    covered = {p.relative_to(package).as_posix() for p in toolkit_files()}
    for needed in (
        "extraction/ranking.py",
        "extraction/attribution.py",
        "extraction/speaker_weights.json",
        "rdf/mapping.py",
        "corpus/reader.py",
        "release/build.py",
    ):
        assert needed in covered, needed
    assert len(toolkit_digest()) >= 32
