"""``claims.parquet`` from ``claims.csv``, in a process of its own.

pyarrow's libraries and allocator take some 100 MB once loaded and used, which the build
process, whose memory otherwise stays flat at 100k articles, does not keep: :func:`write`
runs this module as ``python -m newsld.render.parquet CSV PARQUET`` (it imports nothing of
newsld's but this), which reads the CSV with the standard library in batches of
:data:`ROWS` rows and writes each as one row group. Deterministic: a fixed schema (the CSV's
header; :data:`NUMBERS` typed, the rest strings, an empty cell a null), fixed row groups,
compression and writer options, no timestamps; the same CSV gives the same bytes.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROWS = 4_096  # rows per row group (and per batch read from the CSV)
NUMBERS = {"confidence": "float64", "evidence_start": "int64", "evidence_end": "int64"}
_CONVERT = {"float64": float, "int64": int}


class ParquetFailed(RuntimeError):
    """The Parquet process failed (its stderr is the message)."""


def write(csv_path: Path, parquet_path: Path) -> None:
    """Write ``parquet_path`` from ``csv_path`` in a process of its own."""
    done = subprocess.run(
        [sys.executable, "-m", "newsld.render.parquet", str(csv_path), str(parquet_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise ParquetFailed(done.stderr.strip() or f"exit code {done.returncode}")


def _batches(path: Path) -> Iterator[tuple[list[str], list[list[str]]]]:
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader)
        rows: list[list[str]] = []
        for row in reader:
            rows.append(row)
            if len(rows) == ROWS:
                yield header, rows
                rows = []
        if rows:
            yield header, rows


def convert(csv_path: Path, parquet_path: Path) -> int:
    """The conversion itself (in this process); returns the rows written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    with csv_path.open(encoding="utf-8", newline="") as stream:
        header = next(csv.reader(stream))
    schema = pa.schema(
        [pa.field(name, pa.type_for_alias(NUMBERS.get(name, "string"))) for name in header]
    )
    rows = 0
    with pq.ParquetWriter(
        parquet_path,
        schema,
        compression="zstd",
        compression_level=3,
        use_dictionary=True,
        write_statistics=True,
        version="2.6",
        data_page_version="1.0",
        store_schema=False,
    ) as writer:
        for _, batch in _batches(csv_path):
            columns: list[Any] = []
            for index, name in enumerate(header):
                kind = NUMBERS.get(name)
                cast = _CONVERT[kind] if kind else str
                values = [cast(row[index]) if row[index] else None for row in batch]
                columns.append(pa.array(values, type=schema.field(index).type))
            writer.write_table(pa.Table.from_arrays(columns, schema=schema), row_group_size=ROWS)
            rows += len(batch)
        if rows == 0:
            writer.write_table(schema.empty_table())
    return rows


if __name__ == "__main__":
    convert(Path(sys.argv[1]), Path(sys.argv[2]))
