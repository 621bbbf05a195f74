"""Lint many inputs: cached results first, the rest in this process or in worker processes.

The parent reads every input and looks its bytes up in the result cache; only the misses
are linted. With ``jobs > 1`` they go to a pool of worker processes, each of which builds the
linter (rules, spaCy pipeline, matchers) once and then lints file after file; with one job
they are linted here. Results come back as plain data and are put back in input order, so the
output is the same whatever the number of jobs and whatever was cached. The linter (and
spaCy) is imported only when something has to be linted: a fully cached run never loads it.

In ``fix`` and ``diff`` modes each file is fixed, re-linted and fixed again until no safe fix
is left (see :mod:`checkin_lint.fix`); ``fix`` then writes the file atomically, ``diff`` only
shows what would change.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, BinaryIO, Callable, Iterable, Literal

from checkin_lint.cache import ResultCache
from checkin_lint.config import Config
from checkin_lint.errors import InputError, Problem
from checkin_lint.report import FileReport, RunReport
from checkin_lint.report.record import file_from_payload, file_payload
from checkin_lint.report.spool import RecordSpool
from checkin_lint.rules.loader import RuleSet
from checkin_lint.runner import OnDisk, display_name, on_disk, read_input

if TYPE_CHECKING:
    import multiprocessing.context

    from checkin_lint.linter import Linter

MIN_PARALLEL_BYTES = 256_000
"""Bytes to lint below which ``jobs > 1`` still lints in this process. Each worker process
builds its own pipeline and matchers (about a second), and on two cores a few hundred short
files take about as long to lint: below this much work, forking costs more than it saves
(``benchmarks/cli.py`` measures both sides)."""

Mode = Literal["check", "fix", "diff"]
Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while files are being linted (not for cache hits)."""


@dataclass(frozen=True)
class LintSettings:
    """Everything that decides a file's results, besides its bytes. Picklable for workers."""

    ruleset: RuleSet
    min_score: int | None
    model: str | None = None
    input_format: str | None = None
    config: Config = field(default_factory=Config)

    def cache_settings(self) -> dict[str, Any]:
        """The settings part of every cache key (the rule set has its own fingerprint)."""
        return {"min_score": self.min_score, "model": self.model, "input_format": self.input_format,
                "config": self.config.digest()}

    def build_linter(self) -> Linter:
        """Build the linter (imports spaCy)."""
        from checkin_lint.linter import Linter

        return Linter(self.ruleset, min_score=self.min_score, model=self.model)


@dataclass
class FileOutcome:
    """What one input produced: its report and, when fixing, its fixed bytes or diff."""

    report: FileReport
    fixed: int = 0
    fixed_raw: bytes | None = None
    original_raw: bytes | None = None
    diff: str = ""
    timed_out: tuple[str, ...] = ()
    unfixable: tuple[str, ...] = ()
    """Why safe fixes were not applied (the file is reported as linted; never written)."""


@dataclass(frozen=True)
class Throughput:
    """What the linting part of a run did: files and bytes linted (cache hits left out), the
    messages in them, in how many processes, and the wall seconds it took."""

    files: int
    bytes: int
    messages: int
    processes: int
    seconds: float

    def describe(self) -> str:
        """One line for the terminal: ``24 files (3 KB, 24 messages) linted in 1.2 s by 2
        processes: 20 messages/s``."""
        rate = f"{self.messages / self.seconds:,.0f} messages/s" if self.seconds > 0 else "no time measured"
        procs = "1 process" if self.processes == 1 else f"{self.processes} processes"
        return (f"{self.files:,} file{'s' * (self.files != 1)} ({self.bytes / 1000:,.0f} KB, {self.messages:,} "
                f"message{'s' * (self.messages != 1)}) linted in {self.seconds:.1f} s by {procs}: {rate}")


@dataclass
class BatchResult:
    """The run report plus the fixes made or proposed, in input order."""

    run: RunReport
    outcomes: list[FileOutcome] = field(default_factory=list)
    throughput: Throughput | None = None
    """None when nothing had to be linted (every file from the cache, or none readable)."""

    @property
    def fixed(self) -> int:
        """Findings removed by safe fixes, over all files."""
        return sum(o.fixed for o in self.outcomes)

    @property
    def diffs(self) -> list[str]:
        """The unified diff of each file a fix would change."""
        return [o.diff for o in self.outcomes if o.diff]


class _Worker:
    """Lints inputs with one linter built on first use; used in-process or per worker process."""

    def __init__(self, settings: LintSettings, cache: ResultCache | None, mode: Mode) -> None:
        self.settings = settings
        self.cache = cache
        self.mode = mode
        self._linter: Linter | None = None

    @property
    def linter(self) -> Linter:
        if self._linter is None:
            self._linter = self.settings.build_linter()
        return self._linter

    def lint(self, display: str, raw: bytes | OnDisk, *, lookup: bool = True) -> FileReport:
        """The report of ``raw`` (bytes, or a file read a window at a time): from the cache
        when there, else linted and stored."""
        from checkin_lint.runner import lint_bytes, lint_path

        key = _key(self.cache, raw, _input_format(display, self.settings)) if self.cache else ""
        if key and lookup:
            hit = self.cache.get(key)  # type: ignore[union-attr]
            if hit is not None:
                return file_from_payload(display, hit)
        settings = self.settings
        if isinstance(raw, OnDisk):
            report = lint_path(self.linter, raw, input_format=settings.input_format, config=settings.config)
        else:
            report = lint_bytes(self.linter, display, raw, input_format=settings.input_format, config=settings.config)
        # A bug is not a result to keep; a file whose records went to disk is not kept either:
        # its entry would hold them all in memory at once (and be too large to read back).
        if key and not any(p.internal for p in report.problems) and not _spilled(report):
            # Regexes skipped for their time limit stay skipped: the result is kept with its notice.
            self.cache.put(key, {**file_payload(report), "timed_out": sorted(self.linter.compiled.timed_out)})  # type: ignore[union-attr]
        return report

    def process(self, display: str, raw: bytes | OnDisk) -> FileOutcome:
        """Lint (and in fix/diff mode, fix) one input."""
        before = set(self.linter.compiled.timed_out)
        if self.mode == "check":
            outcome = FileOutcome(self.lint(display, raw, lookup=False))
        else:
            assert isinstance(raw, bytes), "fixes read the whole file"
            outcome = self._fix(display, raw)
        outcome.timed_out = tuple(sorted(set(self.linter.compiled.timed_out) - before))
        return outcome

    def _fix(self, display: str, raw: bytes) -> FileOutcome:
        from checkin_lint.fix import FixError, fix_bytes, unified_diff
        from checkin_lint.inputs import decode

        first = True

        def lint(data: bytes) -> FileReport:
            nonlocal first
            report = self.lint(display, data, lookup=not first)
            first = False
            return report

        try:
            result = fix_bytes(display, raw, lint, decode)
        except FixError as exc:  # the text cannot be decoded, or encoded back, exactly: never written
            return FileOutcome(self.lint(display, raw), unfixable=tuple(str(p) for p in exc.problems))
        if not result.changed:
            return FileOutcome(result.report)
        diff = unified_diff(display, decode(display, raw), decode(display, result.raw)) if self.mode == "diff" else ""
        return FileOutcome(result.report, result.fixed, result.raw, raw, diff)


def _key(cache: ResultCache, raw: bytes | OnDisk, input_format: str) -> str:
    """The cache key of an input's bytes; ``""`` (not cached) when a file on disk cannot be
    read any more (linting it reports why)."""
    if isinstance(raw, bytes):
        return cache.key(raw, input_format)
    try:
        return cache.file_key(raw.path, input_format)
    except OSError:
        return ""


def _size(raw: bytes | OnDisk) -> int:
    return raw.size if isinstance(raw, OnDisk) else len(raw)


def _spilled(report: FileReport) -> bool:
    return isinstance(report.messages, RecordSpool) and report.messages.spilled


def _input_format(display: str, settings: LintSettings) -> str:
    try:
        return settings.config.cache_tag(display, settings.input_format)
    except InputError:
        return settings.input_format or ""


_WORKER: _Worker | None = None
"""The worker of this process (set once in each pool process by :func:`_init_worker`)."""
_WORKER_ERROR: BaseException | None = None
"""Why this process could not build its linter (raised again on its first task)."""


def _init_worker(settings: LintSettings, cache: ResultCache | None, mode: Mode) -> None:
    global _WORKER, _WORKER_ERROR
    _WORKER = _Worker(settings, cache, mode)
    try:
        _ = _WORKER.linter  # build the pipeline once, before the first file arrives
    except Exception as exc:  # an initializer that raises makes the pool respawn it forever
        _WORKER_ERROR = exc


def _run_task(task: tuple[str, bytes | OnDisk]) -> FileOutcome:
    if _WORKER_ERROR is not None:
        raise _WORKER_ERROR
    assert _WORKER is not None, "worker process not initialised"
    return _WORKER.process(*task)


def _context() -> multiprocessing.context.BaseContext:
    """``fork`` on Linux (workers start at once, sharing the parent's imports), else ``spawn``."""
    import multiprocessing  # here: a run in one process does not need it

    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")


def default_jobs() -> int:
    """The number of CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def lint_many(
    paths: Iterable[str],
    settings: LintSettings,
    *,
    jobs: int = 1,
    cache: ResultCache | None = None,
    mode: Mode = "check",
    fail_on: str = "reject",
    progress: Progress | None = None,
    stdin: BinaryIO | None = None,
) -> BatchResult:
    """Lint every path (``-`` is standard input) and return the run in input order."""
    from checkin_lint.runner import run_notices

    paths = list(paths)
    outcomes: list[FileOutcome | None] = [None] * len(paths)
    todo: list[tuple[int, str, bytes | OnDisk]] = []
    for index, path in enumerate(paths):
        display = display_name(path)
        try:
            # A CSV export or mbox archive is linted from its file a window at a time; fixes
            # (and standard input) need the whole text.
            found = on_disk(path, input_format=settings.input_format, config=settings.config) if mode == "check" else None
            raw: bytes | OnDisk = found or read_input(path, stdin, limit=settings.config.max_file_size)
        except InputError as exc:
            outcomes[index] = FileOutcome(FileReport(display, problems=list(exc.problems)))
            continue
        key = _key(cache, raw, _input_format(display, settings)) if cache is not None else ""
        if key:
            hit = cache.get(key)  # type: ignore[union-attr]
            if hit is not None and (mode == "check" or not any(m["fixes"] for m in hit["messages"])):
                outcomes[index] = FileOutcome(file_from_payload(display, hit), timed_out=tuple(hit.get("timed_out", ())))
                continue
        todo.append((index, display, raw))
    processes = parallel_processes(jobs, todo)
    start = time.perf_counter()
    for (index, _, _), outcome in zip(todo, _lint_todo(todo, settings, cache, mode, processes, progress)):
        outcomes[index] = outcome
    seconds = time.perf_counter() - start
    throughput = Throughput(len(todo), sum(_size(raw) for _, _, raw in todo),
                            sum(len(outcomes[i].report.messages) for i, _, _ in todo),  # type: ignore[union-attr]
                            processes, seconds) if todo else None
    done = [o for o in outcomes if o is not None]
    if mode == "fix":
        written: list[str] = []
        for outcome, path in zip(done, paths):
            _write_fix(path, outcome, written)
    timed_out = sorted({rule for o in done for rule in o.timed_out})
    notices = run_notices(settings.ruleset, settings.model, timed_out) + [n for o in done for n in o.unfixable]
    run = RunReport([o.report for o in done], settings.ruleset, fail_on=fail_on, notices=notices)
    return BatchResult(run, done, throughput)


def parallel_processes(jobs: int, todo: list[tuple[int, str, bytes | OnDisk]]) -> int:
    """How many processes to lint ``todo`` in: ``jobs`` at most, one per file at most, and
    one when there is less than :data:`MIN_PARALLEL_BYTES` to lint."""
    if jobs <= 1 or len(todo) <= 1 or sum(_size(raw) for _, _, raw in todo) < MIN_PARALLEL_BYTES:
        return 1
    return min(jobs, len(todo))


def _lint_todo(
    todo: list[tuple[int, str, bytes | OnDisk]],
    settings: LintSettings,
    cache: ResultCache | None,
    mode: Mode,
    jobs: int,
    progress: Progress | None,
) -> Iterable[FileOutcome]:
    total = len(todo)
    tasks = [(display, raw) for _, display, raw in todo]
    if jobs > 1:
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        chunksize = max(1, min(32, total // (jobs * 8)))
        done = 0
        # A pool that notices a dead worker (killed, out of memory): the files it did not
        # return are reported as not linted instead of the run waiting forever. Leaving the
        # block waits for the workers to exit on their own (not terminated): a worker that is
        # storing the prefilter's database (engine/prefilter.py) finishes it for later runs.
        with ProcessPoolExecutor(jobs, mp_context=_context(), initializer=_init_worker,
                                 initargs=(settings, cache, mode)) as pool:
            try:
                for outcome in pool.map(_run_task, tasks, chunksize=chunksize):
                    done += 1
                    if progress:
                        progress(done, total)
                    yield outcome
            except BrokenProcessPool:
                for display, _ in tasks[done:]:
                    yield FileOutcome(FileReport(display, problems=[Problem(
                        display, "not linted: a worker process died (killed, or out of memory)")]))
        return
    worker = _Worker(settings, cache, mode)
    for done, task in enumerate(tasks, 1):
        outcome = worker.process(*task)
        if progress:
            progress(done, total)
        yield outcome


def _write_fix(path: str, outcome: FileOutcome, written: list[str]) -> None:
    """Write a fixed file (see :func:`~checkin_lint.atomic.write_user_file`), unless it changed
    on disk since it was read. ``written`` holds the files fixed so far in this run: a file
    named twice (``a.txt ./a.txt``, or a link to it) is fixed once."""
    from checkin_lint.atomic import same_file, write_user_file
    from checkin_lint.runner import STDIN

    if outcome.fixed_raw is None:
        return
    if path == STDIN:
        outcome.report.problems.append(Problem(outcome.report.path, "standard input cannot be fixed in place; use --diff to see the fix"))
        outcome.fixed = 0
        return
    if same_file(path, written) is not None:
        outcome.fixed = 0  # fixed already under another name
        return
    try:
        with open(path, "rb") as handle:
            unchanged = handle.read() == outcome.original_raw
        if not unchanged:
            outcome.report.problems.append(Problem(outcome.report.path, "changed on disk while it was being fixed; left as it is"))
            outcome.fixed = 0
            return
        write_user_file(path, outcome.fixed_raw)
        written.append(path)
    except OSError as exc:
        outcome.report.problems.append(Problem(outcome.report.path, f"cannot write the fix: {exc.strerror or exc}"))
        outcome.fixed = 0
