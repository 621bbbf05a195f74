"""Lint files and streams: read each input, lint its messages, collect a run report.

A bad input (unreadable, binary, undecodable, malformed) becomes a problem on its own
file report; the run goes on with the other files. Each linted message is frozen into a
:class:`~checkin_lint.report.record.MessageRecord` with its planned safe fixes as soon as it
is linted, and kept in a :class:`~checkin_lint.report.spool.RecordSpool` (on disk beyond a
few thousand), so a CSV export or an mbox archive is linted in flat memory: its messages are
read one at a time (:meth:`~checkin_lint.inputs.Document.iter_messages`), from a file on disk
a window at a time (:func:`lint_path`), unless the file is a playbook or holds suppression
directives, which need the whole file before any report is final
(:func:`~checkin_lint.suppression.can_stream`). This module does not import the linter (nor
spaCy) until a linter is handed to it.
"""

from __future__ import annotations

import os
import signal
import stat
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO, Callable, Iterable, Iterator

from checkin_lint.config import Config
from checkin_lint.errors import REPORT_BUG, InputError, Problem, internal_problem
from checkin_lint.escape import escape_path
from checkin_lint.fix import fix_bytes, plan_fixes
from checkin_lint.inputs import (BYTE_FORMATS, MAX_BYTES, STREAM_READERS, decode, format_for, get_reader, get_stream_reader,
                                 read_document)
from checkin_lint.inputs.stream import TRANSFER_ENCODED, FileText
from checkin_lint.language import detect, split_languages
from checkin_lint.report import FileReport, RunReport
from checkin_lint.report.record import MessageRecord
from checkin_lint.report.spool import RecordSpool
from checkin_lint.suppression import can_stream, finish, finish_stream

if TYPE_CHECKING:
    from checkin_lint.document import Message
    from checkin_lint.inputs import Document
    from checkin_lint.linter import Linter, MessageReport
    from checkin_lint.rules.loader import RuleSet

STDIN = "-"


def read_input(path: str, stdin: BinaryIO | None = None, *, limit: int = MAX_BYTES) -> bytes:
    """The bytes of ``path`` (``-`` is standard input). At most ``limit`` bytes are read: the
    size is checked on what is read, not on what the file system says, so ``/dev/zero`` or an
    endless pipe is refused too. Raises :class:`InputError`."""
    size = None
    if path == STDIN:
        raw = (stdin or sys.stdin.buffer).read(limit + 1)
    else:
        try:
            with open(path, "rb") as handle:
                raw = handle.read(limit + 1)
                info = os.fstat(handle.fileno())
                size = info.st_size if stat.S_ISREG(info.st_mode) else None
        except IsADirectoryError:
            raise InputError([Problem(path, "is a directory; name the files to lint")]) from None
        except OSError as exc:
            raise InputError([Problem(path, f"cannot read: {exc.strerror or exc}")]) from None
    if len(raw) > limit:
        raise InputError([Problem(path, f"file is {size:,} bytes, over the {limit:,}-byte limit" if size is not None
                                  else f"file is over the {limit:,}-byte limit")])
    return raw


@dataclass(frozen=True)
class OnDisk:
    """An input linted from its file a window at a time (:func:`lint_path`), not from its
    bytes: a regular file of one of :data:`~checkin_lint.inputs.STREAM_READERS`' formats.
    ``size`` is in bytes."""

    path: str
    size: int


def on_disk(path: str, *, input_format: str | None = None, config: Config | None = None) -> OnDisk | None:
    """An :class:`OnDisk` for ``path`` when it is a regular file read as a CSV export or an
    mbox archive, else ``None`` (read it with :func:`read_input`). Raises :class:`InputError`,
    as :func:`read_input` would, for a file over the size limit or that cannot be opened."""
    config = config or Config()
    if path == STDIN:
        return None
    try:
        kind = format_for(display_name(path), config.input_format(display_name(path), input_format))
    except InputError:
        return None  # an unknown format: reported where the file is read
    if kind not in STREAM_READERS:
        return None
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
    except OSError:
        return None  # read_input says why
    if not stat.S_ISREG(info.st_mode):
        return None
    if info.st_size > config.max_file_size:
        raise InputError([Problem(display_name(path), f"file is {info.st_size:,} bytes, over the {config.max_file_size:,}-byte limit")])
    return OnDisk(path, info.st_size)


def lint_file(linter: Linter, path: str, *, input_format: str | None = None, stdin: BinaryIO | None = None,
              config: Config | None = None) -> FileReport:
    """Lint one input into a :class:`FileReport` (problems are caught and recorded); a CSV
    export or an mbox archive on disk is read a window at a time (:func:`lint_path`)."""
    display = display_name(path)
    try:
        found = on_disk(path, input_format=input_format, config=config)
        if found is not None:
            return lint_path(linter, found, input_format=input_format, config=config)
        raw = read_input(path, stdin, limit=(config or Config()).max_file_size)
    except InputError as exc:
        return FileReport(display, problems=list(exc.problems))
    return lint_bytes(linter, display, raw, input_format=input_format, config=config)


def display_name(path: str) -> str:
    """How reports name an input (``<stdin>`` for ``-``): escaped (see
    :func:`~checkin_lint.escape.escape_path`), so a name that holds control characters or is
    not valid UTF-8 can neither inject into the output nor fail to print."""
    return "<stdin>" if path == STDIN else escape_path(path)


TIME_BUDGET_SECONDS = 60.0
TIME_BUDGET_PER_MB = 60.0
"""Time budget of one file: 60 s plus 60 s per MB. Every input is linear in time (about a
second per MB on one core), so only a bug or a pathological case not yet found reaches it;
the file is then reported as not linted and the run goes on."""


class _OverBudget(BaseException):
    """Raised by the timer when a file's time budget runs out (a BaseException, so no
    ``except Exception`` on the way can swallow it)."""


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise :class:`_OverBudget` in this thread if the block runs longer than ``seconds`` of
    wall time. Enforced with ``SIGALRM`` in the main thread of a process (the CLI and every
    worker process); elsewhere (another thread, Windows) the block runs unbounded."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _OverBudget

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def lint_bytes(linter: Linter, display: str, raw: bytes, *, input_format: str | None = None, config: Config | None = None) -> FileReport:
    """Lint the bytes of one input named ``display`` (problems are caught and recorded).

    ``config`` supplies the reader options, per-file ignores, playbook cadence and language;
    messages not in English are skipped (see :mod:`checkin_lint.language`), the file's
    suppression directives and the playbook's cross-step checks are applied here. An input too
    deeply nested for a parser is an input error; any other exception is a bug in checkin-lint,
    recorded as an internal problem of this file (exit code 3) so the other files are still
    reported. The whole file runs under its time budget (:func:`time_budget`)."""
    return _collect(linter, display, len(raw), lambda skipped: stream_document(
        linter, display, raw, skipped, input_format=input_format, config=config))


def lint_path(linter: Linter, found: OnDisk, *, input_format: str | None = None, config: Config | None = None) -> FileReport:
    """:func:`lint_bytes` for a CSV export or mbox archive on disk (see :func:`on_disk`),
    read a window at a time: the same report, in memory that does not grow with the file."""
    return _collect(linter, display_name(found.path), found.size, lambda skipped: stream_file(
        linter, found.path, skipped, input_format=input_format, config=config))


def _collect(linter: Linter, display: str, size: int,
             stream: Callable[[list[dict[str, Any]]], tuple[Document, Iterator[MessageReport]]]) -> FileReport:
    """The file report of the reports ``stream(skipped)`` gives, each frozen into a record as
    it comes, under the time budget of a file of ``size`` bytes."""
    budget = TIME_BUDGET_SECONDS + TIME_BUDGET_PER_MB * size / 1e6
    records = RecordSpool()
    skipped: list[dict[str, Any]] = []
    try:
        with time_budget(budget):
            document, reports = stream(skipped)
            for report in reports:
                records.append(MessageRecord.from_report(report, plan_fixes(report, linter.ruleset)))
    except _OverBudget:
        records.close()
        return FileReport(display, problems=[Problem(display, f"not linted: over its time budget of {budget:.0f} s; {REPORT_BUG}")])
    except InputError as exc:
        records.close()
        return FileReport(display, problems=list(exc.problems))
    except RecursionError:
        records.close()
        return FileReport(display, problems=[Problem(display, "malformed input: nested too deeply to read")])
    except Exception as exc:  # noqa: BLE001 - a bug must cost one file's report, not the run's
        records.close()
        return FileReport(display, problems=[internal_problem(display, exc)])
    return FileReport(display, messages=records, notices=list(document.notices), skipped=skipped)


def skipped_entry(message: Message, language: str) -> dict[str, Any]:
    """How a file report lists a message skipped as not in the configured language:
    ``label``, ``line`` (where its text starts) and ``language``."""
    return {"label": message.label, "line": message.line_col(len(message.text) - len(message.text.lstrip()))[0],
            "language": language}


def stream_document(linter: Linter, display: str, raw: bytes, skipped: list[dict[str, Any]], *,
                    input_format: str | None = None, config: Config | None = None) -> tuple[Document, Iterator[MessageReport]]:
    """:func:`lint_document` as a stream: the document and its finished reports, each linted
    when asked for. A message skipped as not in the configured language is added to
    ``skipped`` (:func:`skipped_entry`) when the stream reaches it. Messages are read one at a
    time when the reports can be finished one at a time
    (:func:`~checkin_lint.suppression.can_stream`), else all at once as by
    :func:`lint_document`. Raises :class:`InputError` for input that cannot be read, while
    reading the document or while iterating."""
    config = config or Config()
    document = read_document(display, raw, input_format=config.input_format(display, input_format),
                             options=config.read_options(), lazy=True)
    if not _streams(document, config):
        document.read_all()
        reports, foreign = _lint_whole(linter, document, config)
        skipped.extend(skipped_entry(m, language) for m, language in foreign)
        return document, iter(reports)
    return document, _stream_reports(linter, document, skipped, config)


def stream_file(linter: Linter, path: str, skipped: list[dict[str, Any]], *, input_format: str | None = None,
                config: Config | None = None) -> tuple[Document, Iterator[MessageReport]]:
    """:func:`stream_document` for a CSV export or mbox archive on disk (see :func:`on_disk`),
    its messages read a window at a time (:mod:`checkin_lint.inputs.stream`). The file is read
    once beforehand to check that it decodes and to look for directive comments; one that may
    hold some (whose scope is known only at the end of the file) is read whole instead."""
    config = config or Config()
    display = display_name(path)
    kind = format_for(display, config.input_format(display, input_format))
    text = FileText(path, display, kind, config.max_file_size)
    facts = text.check()
    reader, options = get_stream_reader(kind), config.read_options()
    if not facts.marked and not (facts.encoded and _holds_directives(reader(text, options))):
        document = reader(text, options)
        return document, _stream_reports(linter, document, skipped, config)
    return stream_document(linter, display, read_input(path, limit=config.max_file_size), skipped,
                           input_format=input_format, config=config)


def _stream_reports(linter: Linter, document: Document, skipped: list[dict[str, Any]], config: Config) -> Iterator[MessageReport]:
    """The finished reports of ``document``'s messages, each read and linted when asked for."""

    def in_language() -> Iterator[Message]:
        for message in document.iter_messages():
            found = detect(message.text) if config.language == "auto" else None
            if found:
                skipped.append(skipped_entry(message, found))
            else:
                yield message

    return finish_stream(document, linter.lint_messages(in_language()), ruleset=linter.ruleset, config=config,
                         min_score=linter.min_score)


def _streams(document: Document, config: Config) -> bool:
    """True when ``document``'s reports can be finished one at a time. A MIME body in a
    transfer encoding (base64, quoted-printable) may hide a directive from
    :func:`~checkin_lint.suppression.can_stream`'s look at the file text: such a file is read
    once more beforehand, without linting, to see that it holds none."""
    if document.pending is None or not can_stream(document):
        return False
    if document.kind in BYTE_FORMATS and TRANSFER_ENCODED.search(document.source.text):
        return not _holds_directives(get_reader(document.kind)(document.source, config.read_options()))
    return True


def _holds_directives(probe: Document) -> bool:
    """Read every message of ``probe`` (a document not yet read), without linting: True as
    soon as one holds a directive comment."""
    for _ in probe.iter_messages():
        if probe.directives:
            return True
    return bool(probe.directives)


def lint_document(linter: Linter, display: str, raw: bytes, *, input_format: str | None = None,
                  config: Config | None = None) -> tuple[Document, list[MessageReport], list[tuple[Message, str]]]:
    """Read the bytes of one input named ``display`` and lint its messages in the configured
    language, with its suppression directives and a playbook's cross-step checks applied:
    the document, the live reports (offset maps included, for what needs more than a record,
    such as writing rewrites back) and the ``(message, language)`` pairs skipped as not in
    that language. Raises :class:`InputError` for input that cannot be read."""
    config = config or Config()
    document = read_document(display, raw, input_format=config.input_format(display, input_format),
                             options=config.read_options())
    reports, foreign = _lint_whole(linter, document, config)
    return document, reports, foreign


def _lint_whole(linter: Linter, document: Document, config: Config) -> tuple[list[MessageReport], list[tuple[Message, str]]]:
    """Lint every message of a document read whole and finish the reports together; keeps
    only the messages in the configured language in ``document.messages``."""
    document.messages, foreign = split_languages(document.messages, config.language)
    reports = finish(document, list(linter.lint_messages(document.messages)), ruleset=linter.ruleset,
                     config=config, min_score=linter.min_score)
    return reports, foreign


def run_notices(ruleset: RuleSet, model: str | None, timed_out: Iterable[str]) -> list[str]:
    """The run's notices: rules skipped for want of a trained pipeline, rule regexes that hit
    their time limit. Needs no linter, so a run restored from the cache gets them too."""
    notices = []
    skipped = [r.id for r in ruleset.rules if r.needs_model and not model]
    if skipped:
        notices.append(f"skipped rules that need a trained pipeline (configure one with --model): {', '.join(skipped)}")
    if timed_out:
        slow = ", ".join(sorted(timed_out))
        notices.append(f"rule regexes hit the time limit and were skipped on some messages: {slow}")
    return notices


def fix_text(linter: Linter, text: str, *, path: str = "<text>") -> str:
    """``text`` with every safe fix applied, as ``--fix`` would leave a file holding it."""
    result = fix_bytes(path, text.encode("utf-8"), lambda raw: lint_bytes(linter, path, raw), decode)
    return result.raw.decode("utf-8")
