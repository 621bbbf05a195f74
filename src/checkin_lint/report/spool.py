"""The message records of one file, kept on disk once there are many of them.

A CSV export or an mbox archive can hold hundreds of thousands of messages; a record is a
few kilobytes of Python objects, so a list of them grows with the file. A
:class:`RecordSpool` keeps the first :data:`MEMORY_RECORDS` records in memory and appends the
rest to an anonymous temporary file (pickled, one record after another), so memory stays
flat however long the file. It reads like a list of records (``len``, iteration in order,
indexing), and can be iterated any number of times: the report formats read it once or twice
each.

The temporary file is private to the process (``tempfile``, mode 0600, under ``TMPDIR``) and
removed when the spool is closed or garbage-collected. A spool sent to another process (the
``--jobs`` workers) travels as the path of its file: the receiving process owns it from then
on, and the sending process must not use the spool again.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import weakref
from typing import Any, BinaryIO, Iterable, Iterator, Sequence, overload

from checkin_lint.report.record import MessageRecord

MEMORY_RECORDS = 500
"""Records kept in memory before the rest go to the temporary file (about 10 MB of objects)."""


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


class RecordSpool(Sequence[MessageRecord]):
    """An append-only sequence of :class:`~checkin_lint.report.record.MessageRecord`, in
    memory up to ``memory_records`` and on disk beyond (see the module)."""

    def __init__(self, records: Iterable[MessageRecord] = (), *, memory_records: int | None = None) -> None:
        self.memory_records = MEMORY_RECORDS if memory_records is None else memory_records
        self._head: list[MessageRecord] = []
        self._path: str | None = None
        self._file: BinaryIO | None = None
        self._spilled = 0
        self._finalizer: weakref.finalize | None = None
        for record in records:
            self.append(record)

    def append(self, record: MessageRecord) -> None:
        """Add ``record`` at the end."""
        if len(self._head) < self.memory_records:
            self._head.append(record)
            return
        if self._file is None:
            fd, self._path = tempfile.mkstemp(prefix="checkin-lint-records-", suffix=".pickle")
            self._file = os.fdopen(fd, "w+b")
            self._finalizer = weakref.finalize(self, _remove, self._path)
        self._file.seek(0, os.SEEK_END)
        pickle.dump((record.data, record.dropped, record.fixes), self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._spilled += 1

    @property
    def spilled(self) -> bool:
        """True when some records are on disk."""
        return self._spilled > 0

    def __len__(self) -> int:
        return len(self._head) + self._spilled

    def __iter__(self) -> Iterator[MessageRecord]:
        yield from self._head
        if not self._spilled:
            return
        assert self._path is not None
        if self._file is not None:
            self._file.flush()
        # A handle of its own: a second iteration (or an append) in between does not move it.
        with open(self._path, "rb") as handle:
            for _ in range(self._spilled):
                data, dropped, fixes = pickle.load(handle)
                yield MessageRecord(data, tuple(dropped), tuple(fixes))

    @overload
    def __getitem__(self, index: int) -> MessageRecord: ...
    @overload
    def __getitem__(self, index: slice) -> list[MessageRecord]: ...
    def __getitem__(self, index: int | slice) -> MessageRecord | list[MessageRecord]:
        if isinstance(index, slice):
            return list(self)[index]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("record index out of range")
        if index < len(self._head):
            return self._head[index]
        for i, record in enumerate(self, 0):
            if i == index:
                return record
        raise IndexError("record index out of range")  # pragma: no cover - len() said otherwise

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (RecordSpool, list, tuple)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    def __repr__(self) -> str:
        return f"RecordSpool({len(self)} records, {self._spilled} on disk)"

    def close(self) -> None:
        """Remove the temporary file; the spool is empty afterwards."""
        if self._file is not None:
            self._file.close()
            self._file = None
        if self._finalizer is not None:
            self._finalizer()
            self._finalizer = None
        self._head = []
        self._spilled = 0
        self._path = None

    def __getstate__(self) -> dict[str, Any]:
        """Hand the spool to another process: the file travels by path and changes owner."""
        if self._file is not None:
            self._file.flush()
            self._file.close()
            self._file = None
        if self._finalizer is not None:
            self._finalizer.detach()  # the receiver removes the file, not this process
            self._finalizer = None
        return {"memory_records": self.memory_records, "head": self._head, "path": self._path, "spilled": self._spilled}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.memory_records = state["memory_records"]
        self._head = state["head"]
        self._path = state["path"]
        self._spilled = state["spilled"]
        self._file = None
        self._finalizer = weakref.finalize(self, _remove, self._path) if self._path else None
        if self._path:
            self._file = open(self._path, "a+b")  # noqa: SIM115 - closed by close() or at exit
