"""An output file that takes bytes and ranges of other files, in order.

Incremental builds assemble their dumps and their state mostly from unchanged ranges of the
previous ones. :class:`Sink` buffers what is written and joins consecutive ranges of the same
source into one, so that an unchanged run of 100k records costs one ``copy_file_range`` call
(done by the kernel, no bytes through Python), not one per record.
"""

from __future__ import annotations

import os
from pathlib import Path


class Sink:
    """A file written through a buffer of its own, with ranges of other open files appended by
    the kernel between writes; consecutive ranges of one source are copied in one go."""

    BUFFER = 1 << 20

    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        self.position = 0  # bytes taken so far, written, buffered or pending a copy
        self._buffer: list[bytes] = []
        self._buffered = 0
        self._pending: list[int] | None = None  # source, start, length of a range to copy

    def write(self, data: bytes) -> None:
        if self._pending is not None:
            self._copy_pending()
        self._buffer.append(data)
        self._buffered += len(data)
        self.position += len(data)
        if self._buffered >= self.BUFFER:
            self._flush_buffer()

    def copy(self, source: int, start: int, length: int) -> None:
        """Append ``length`` bytes of the open file ``source`` from offset ``start``."""
        if length <= 0:
            return
        self.position += length
        pending = self._pending
        if pending is not None and pending[0] == source and pending[1] + pending[2] == start:
            pending[2] += length  # continues the range already pending
            return
        if pending is not None:
            self._copy_pending()
        self._pending = [source, start, length]

    def follows(self, source: int, start: int) -> bool:
        """Whether a range of ``source`` from ``start`` would continue the pending one."""
        pending = self._pending
        return pending is not None and pending[0] == source and pending[1] + pending[2] == start

    def _flush_buffer(self) -> None:
        view = memoryview(b"".join(self._buffer))
        while view:
            view = view[os.write(self.fd, view) :]
        self._buffer, self._buffered = [], 0

    def _copy_pending(self) -> None:
        assert self._pending is not None
        source, start, length = self._pending
        self._pending = None
        self._flush_buffer()
        while length > 0:
            try:
                done = os.copy_file_range(source, self.fd, length, start)
            except OSError:  # not supported across these file systems: copy through memory
                chunk = os.pread(source, min(length, self.BUFFER), start)
                done = len(chunk)
                view = memoryview(chunk)
                while view:
                    view = view[os.write(self.fd, view) :]
            if done == 0:
                raise OSError(f"source ended before offset {start + length}")
            start += done
            length -= done

    def flush(self) -> None:
        if self._pending is not None:
            self._copy_pending()
        self._flush_buffer()

    def close(self) -> None:
        try:
            self.flush()
        finally:
            os.close(self.fd)

    def discard(self) -> None:
        """Close without writing what is still buffered or pending (the file is dropped)."""
        self._buffer, self._pending = [], None
        os.close(self.fd)
