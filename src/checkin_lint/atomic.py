"""Writing files without losing anything: the one place that writes a user's file.

:func:`write_user_file` writes a fix or a report: through a temporary file and a rename
(a reader sees the old content or the new one, never a half-written file), to the file a
symbolic link names rather than over the link, in place for a file with several hard links
(so they stay one file) and for anything that is not a regular file (``/dev/null``, a
terminal, a pipe such as ``/dev/stdout``), never over a read-only file, and with the mode
of the file it replaces (a new file gets the umask's mode, as ``open`` would give it).
:func:`write_atomic` is the temporary-file-and-rename step alone, also used by the cache.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO, Iterable


def write_atomic(path: str | Path, data: bytes | BinaryIO, *, durable: bool = True, keep_mode: bool = True,
                 mode: int | None = None) -> None:
    """Write ``data`` (bytes, or a binary file read from where it stands to its end) to
    ``path`` through a temporary file in the same directory and a rename.

    ``durable`` flushes the data to disk before the rename (for the user's files; a cache
    entry can skip it, since a lost entry is only a miss). With ``keep_mode`` the new file gets
    the permission bits of the file it replaces; ``mode`` gives them for a file that did not
    exist (default: the temporary file's 0600). The temporary file is removed if anything
    fails, leaving ``path`` as it was.
    """
    target = Path(path)
    if keep_mode:
        try:
            mode = target.stat().st_mode & 0o7777
        except FileNotFoundError:
            pass
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            _write(handle, data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def umask_mode() -> int:
    """The mode ``open(path, "w")`` gives a new file: 0666 less the process umask."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _write(handle: BinaryIO, data: bytes | BinaryIO) -> None:
    if isinstance(data, bytes):
        handle.write(data)
    else:
        shutil.copyfileobj(data, handle)


def write_user_file(path: str, data: bytes | BinaryIO) -> None:
    """Write ``data`` (bytes, or a binary file read from where it stands to its end) to the
    user's file ``path`` without losing anything (see the module).

    Raises :class:`PermissionError` (``strerror`` "read-only file") for a file without any
    write permission bit, even when the process could override it, and :class:`OSError`
    when the file cannot be written.
    """
    try:
        info = os.stat(path)  # follows symbolic links
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        with open(path, "wb") as handle:  # a device, a terminal or a pipe: written as it is
            _write(handle, data)
        return
    target = os.path.realpath(path)  # a symbolic link stays a link; the file it names is written
    if info is None:
        write_atomic(target, data, keep_mode=False, mode=umask_mode())
        return
    if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise PermissionError(errno.EACCES, "read-only file", path)
    if info.st_nlink > 1:
        _write_in_place(target, data)  # a rename would split the hard links
        return
    try:
        start = None if isinstance(data, bytes) else data.tell()
        write_atomic(target, data)
    except PermissionError:  # a writable file in a folder we cannot create the temporary file in
        if start is not None:
            data.seek(start)  # type: ignore[union-attr]
        _write_in_place(target, data)


def _write_in_place(path: str, data: bytes | BinaryIO) -> None:
    with open(path, "r+b") as handle:
        _write(handle, data)
        handle.truncate()
        handle.flush()
        os.fsync(handle.fileno())


def same_file(path: str, others: Iterable[str]) -> str | None:
    """The first of ``others`` that is the same file as ``path`` (by device and inode, so links
    and other spellings count), or ``None``. Only regular files compare: a path that does not
    exist, a terminal or a device is never "the same" as an input."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    for other in others:
        try:
            if os.path.samestat(info, os.stat(other)):
                return other
        except OSError:
            continue
    return None
