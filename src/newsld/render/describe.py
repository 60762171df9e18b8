"""The dataset description (VoID + DCAT) and the release manifest.

Both describe finished dump files (their sizes and hashes), so they are written after the dumps
and are not part of them.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef

from newsld.corpus.dates import PartialDate
from newsld.corpus.records import DatasetSettings
from newsld.rdf.iris import Minter
from newsld.rdf.namespaces import DCAT, DCTERMS, NLD, OWL, RDF, SDO, SPDX, VOID, XSD
from newsld.rdf.terms import Triple, date_literal

IANA = "https://www.iana.org/assignments/media-types/"
MEDIA_TYPES = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".nq": "application/n-quads",
    ".jsonld": "application/ld+json",
    ".csv": "text/csv",
    ".parquet": "application/vnd.apache.parquet",
}


@dataclass(frozen=True)
class FileInfo:
    name: str
    size: int
    sha256: str

    @classmethod
    def of(cls, path: Path, name: str) -> FileInfo:
        digest = hashlib.sha256()
        with path.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
        return cls(name, path.stat().st_size, digest.hexdigest())


def _media_type(name: str) -> tuple[str, bool]:
    compressed = name.endswith(".gz")
    stem = name.removesuffix(".gz")
    return MEDIA_TYPES[Path(stem).suffix], compressed


def description_triples(
    minter: Minter,
    settings: DatasetSettings,
    issued: PartialDate,
    dumps: list[FileInfo],
    triples: int,
    classes: Counter[URIRef],
    subjects: int,
    exports: Collection[str] = (),
) -> list[Triple]:
    """The dataset's description; each file in ``dumps`` is a distribution, and a
    ``void:dataDump`` unless it is one of the ``exports`` (flat files and the ClaimReview feed:
    derived from the data, not a dump of it)."""
    dataset = minter.dataset()
    license_iri = URIRef(settings.license)
    out: list[Triple] = [
        (dataset, RDF.type, VOID.Dataset),
        (dataset, RDF.type, DCAT.Dataset),
        (dataset, DCTERMS.title, Literal(settings.title)),
        (dataset, DCTERMS.license, license_iri),
        (dataset, DCAT.version, Literal(settings.version)),
        (dataset, OWL.versionInfo, Literal(settings.version)),
        (dataset, DCTERMS.issued, date_literal(issued)),
        (dataset, VOID.triples, Literal(triples, datatype=XSD.integer)),
        (dataset, VOID.entities, Literal(subjects, datatype=XSD.integer)),
        (dataset, VOID.classes, Literal(len(classes), datatype=XSD.integer)),
        (dataset, VOID.uriSpace, Literal(minter.base)),
        (dataset, VOID.vocabulary, URIRef(str(NLD))),
        (dataset, VOID.vocabulary, URIRef(str(SDO))),
    ]
    if settings.description:
        out.append((dataset, DCTERMS.description, Literal(settings.description)))
    for cls, count in classes.items():
        local = str(cls).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        namespace = "nld" if str(cls).startswith(str(NLD)) else "schema"
        partition = minter.dataset_part(f"class/{namespace}-{local}")
        out += [
            (dataset, VOID.classPartition, partition),
            (partition, VOID["class"], cls),
            (partition, VOID.entities, Literal(count, datatype=XSD.integer)),
        ]
    for info in dumps:
        media, compressed = _media_type(info.name)
        distribution = minter.dataset_part(f"dump/{info.name}")
        checksum = minter.dataset_part(f"dump/{info.name}/sha256")
        download = minter.download(info.name)
        if info.name not in exports:
            out.append((dataset, VOID.dataDump, download))
        out += [
            (dataset, DCAT.distribution, distribution),
            (distribution, RDF.type, DCAT.Distribution),
            (distribution, DCTERMS.title, Literal(info.name)),
            (distribution, DCAT.downloadURL, download),
            (distribution, DCAT.mediaType, URIRef(IANA + media)),
            (distribution, DCAT.byteSize, Literal(info.size, datatype=XSD.nonNegativeInteger)),
            (distribution, DCTERMS.license, license_iri),
            (distribution, DCTERMS.issued, date_literal(issued)),
            (distribution, SPDX.checksum, checksum),
            (checksum, RDF.type, SPDX.Checksum),
            (checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256),
            (checksum, SPDX.checksumValue, Literal(info.sha256, datatype=XSD.hexBinary)),
        ]
        if compressed:
            out.append((distribution, DCAT.compressFormat, URIRef(IANA + "application/gzip")))
    return out


def manifest(
    *,
    version: str,
    settings: DatasetSettings,
    base_iri: str,
    issued: PartialDate,
    counts: dict[str, int],
    findings: dict[str, int],
    files: list[FileInfo],
) -> dict[str, Any]:
    """The manifest, but for its inputs (there is one per corpus file: see
    :func:`manifest_json`)."""
    return {
        "newsld": version,
        "dataset": {
            "title": settings.title,
            "version": settings.version,
            "issued": issued.text,
            "license": settings.license,
            "base_iri": base_iri,
        },
        "conforms": findings.get("error", 0) == 0,
        "counts": counts,
        "findings": findings,
        "files": {
            f.name: {"bytes": f.size, "sha256": f.sha256}
            for f in sorted(files, key=lambda f: f.name)
        },
    }


_JSON_STRING = json.encoder.encode_basestring_ascii  # json.dumps(str) with default options


def manifest_json(data: dict[str, Any], inputs: Iterable[tuple[str, str]]) -> Iterator[str]:
    """``manifest.json`` in pieces: ``data`` with ``inputs`` (name → sha256, sorted by name,
    streamed from disk by a large build) in its place among the sorted keys."""
    text = json.dumps({**data, "inputs": {}}, indent=2, sort_keys=True)
    head, marker, tail = text.partition('\n  "inputs": {}')
    assert marker, "the manifest's inputs are a top-level key"
    yield head + '\n  "inputs": {'
    count = 0
    quoted = _JSON_STRING  # what json.dumps makes of a str, without its per-call overhead
    for name, sha in inputs:
        yield ("\n    " if count == 0 else ",\n    ") + quoted(name) + ": " + quoted(sha)
        count += 1
    yield ("\n  }" if count else "}") + tail + "\n"
