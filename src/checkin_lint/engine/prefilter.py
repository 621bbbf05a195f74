"""Which rule regexes can match a message, decided for all of them in one pass.

Running hundreds of rule regexes over every message is what a linter built on regexes spends
its time on, and on a typical message only a handful can match. :class:`RegexSet` finds that
handful in one pass of a multi-pattern matcher over the message, in time linear in the
message; only the regexes it names are then run, with the ``regex`` module and its time
limit, to find the actual matches. No result changes.

Two matchers serve, chosen per run (``engine="auto"``):

* **Hyperscan** (``hyperscan``, Intel's multi-pattern engine), once its compiled database is
  stored: about 0.1 ms per message whatever its words. Compiling the database takes several
  seconds, so no run waits for it: it is built in a background thread by the first run that
  spends :data:`COMPILE_AFTER` seconds in RE2, stored in the cache directory
  (:func:`store_dir`), and loaded (a few milliseconds) by every later run.
* **RE2's** ``RE2::Set`` (``google-re2``) until then, and where Hyperscan has no wheel.
  Compiled in about 0.1 s, but its lazy DFA builds states for every new text: 4-11 ms per
  message on mail with a real vocabulary, 0.05 ms on text it has seen before.

Where neither is installed every regex runs on every message: slower, same results.

RE2 does not speak the ``regex`` module's dialect (no lookaround, ASCII-only ``\\w``), so each
pattern is first translated into a **superset** (:func:`superset`): a pattern that matches
wherever the original matches (and more). Lookarounds and anchors are dropped, every letter
stands for all the characters the ``regex`` module folds it with, and each character class
takes in every non-ASCII character. Matching runs on Latin-1 bytes, with characters beyond
Latin-1 read as one stand-in byte that those classes contain (Hyperscan reads the same
bytes and the same patterns). The translation stops at the
first repeat of a broad class (``[^.?!\\n]{0,40}``, ``.*``) inside a group; at the top level
such a repeat splits the pattern into pieces that must each match (see :func:`superset`).
Either way the patterns stay short and the DFA small. A pattern it cannot translate always
runs.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import os
import platform
import re._constants as _sre  # the standard library's regex parser, read-only use
import re._parser as _sre_parser
import threading
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import regex
from regex._regex import get_all_cases  # the case sets the regex module itself matches with

try:
    import re2
except ImportError:  # no wheel for this platform (Intel macOS)
    re2 = None
try:
    import hyperscan
except ImportError:  # no wheel for this platform: RE2 alone
    hyperscan = None

Parsed = list[tuple[Any, Any]]

MAX_MEM = 64 << 20
"""Memory RE2 may use for the compiled set and its DFA cache, in bytes."""

_HIGH = r"\x80-\xff"
"""Every non-ASCII character, as the matcher sees it (see :func:`_latin1`)."""
_STAND_IN = "\x80"
_ERRORS = "checkin-lint-beyond-latin1"
codecs.register_error(_ERRORS, lambda exc: (_STAND_IN * (exc.end - exc.start), exc.end))

_CATEGORIES = {
    _sre.CATEGORY_DIGIT: "0-9" + _HIGH,
    _sre.CATEGORY_WORD: "0-9A-Za-z_" + _HIGH,
    _sre.CATEGORY_SPACE: r"\t-\r\x1c-\x20" + _HIGH,
}
_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT)
_ANY = r"(?s:.)"

_REGEX_ONLY = regex.compile(r"\[:\^?[a-z]+:\]|\{[^}]*[eisd][^}]*\}")
"""Syntax the standard parser would misread rather than reject: POSIX classes ``[[:alpha:]]``
and fuzzy constraints ``(?:word){e<=1}`` (it takes both for literal characters)."""


def _latin1(text: str) -> bytes:
    """``text`` as the matcher reads it: Latin-1, anything beyond it as the stand-in byte."""
    return text.encode("latin-1", _ERRORS)


_CASES: dict[int, frozenset[int]] = {}


def _cases(codepoint: int) -> frozenset[int]:
    """Every character a case-insensitive ``regex`` pattern treats as equal to this one
    (closed under that relation: i, I, the Turkic İ and ı; k, K and the Kelvin sign)."""
    if codepoint not in _CASES:
        members = {codepoint}
        todo = [codepoint]
        while todo:
            for other in get_all_cases(regex.IGNORECASE | regex.V0, todo.pop()):
                if other not in members:
                    members.add(other)
                    todo.append(other)
        for member in members:
            _CASES[member] = frozenset(members)
    return _CASES[codepoint]


def _char(codepoint: int) -> str:
    if codepoint >= 0x80:
        return _HIGH
    char = chr(codepoint)
    return char if char.isalnum() else r"\x%02x" % codepoint


_LITERALS: dict[int, str] = {}


def _literal(codepoint: int) -> str:
    """A character of the pattern with all its case variants, as RE2 syntax."""
    if codepoint not in _LITERALS:
        variants = sorted({_char(c) for c in _cases(codepoint)})
        _LITERALS[codepoint] = variants[0] if len(variants) == 1 and codepoint < 0x80 else "[" + "".join(variants) + "]"
    return _LITERALS[codepoint]


_ASCII_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _fold_table() -> tuple[dict[int, str], dict[str, str]]:
    """For Hyperscan: the characters beyond ASCII that fold with an ASCII letter (Kelvin sign,
    long s, dotted and dotless i), mapped to that letter in the text; and each such letter's
    literal in the patterns, which then need not take in every non-ASCII byte. Letter
    literals that take in the whole high half keep the compiler from factoring out plain
    words: folding halves the compile time and shrinks the database by a third."""
    text: dict[int, str] = {}
    pieces: dict[str, str] = {}
    for letter in _ASCII_LETTERS:
        high = [c for c in _cases(ord(letter)) if c >= 0x80]
        if high:
            text.update((c, letter) for c in high)
            pieces[_literal(ord(letter))] = "[" + letter.upper() + letter + "]"
    return text, pieces


def _fold_piece(piece: str, literals: Mapping[str, str]) -> str:
    for wide, narrow in literals.items():
        piece = piece.replace(wide, narrow)
    return piece


def _class(members: Parsed) -> str:
    if any(op is _sre.NEGATE for op, _ in members):
        # A negated class matches what is left out; leaving out less is a superset. Keep only
        # the ASCII characters named one by one (their case variants were left out too).
        kept = "".join(_char(av) for op, av in members if op is _sre.LITERAL and av < 0x80 and len(_cases(av)) == 1)
        return "[^" + kept + "]" if kept else _ANY
    parts = []
    for op, av in members:
        if op is _sre.LITERAL:
            parts += [_char(c) for c in _cases(av)]
        elif op is _sre.RANGE:
            low, high = av
            if low < 0x80:
                parts.append(_char(low) + "-" + _char(min(high, 0x7F)))
                parts += [_char(c) for letter in range(low, min(high, 0x7F) + 1) for c in _cases(letter)]
            if high >= 0x80:
                parts.append(_HIGH)
        elif op is _sre.CATEGORY and av in _CATEGORIES:
            parts.append(_CATEGORIES[av])
        else:
            return _ANY  # \D, \W, \S and the like: nearly everything
    return "[" + "".join(sorted(set(parts))) + "]"


def _broad(items: Parsed) -> bool:
    """True when ``items`` can match across words (a negated class, any character ...)."""
    for op, av in items:
        if op in (_sre.ANY, _sre.NOT_LITERAL):
            return True
        if op is _sre.IN and (_class(av) == _ANY or any(o is _sre.NEGATE for o, _ in av)):
            return True
        inner = av[-1] if op is _sre.SUBPATTERN else av[2] if op in _REPEATS else av if op is _sre.ATOMIC_GROUP else None
        if inner is not None and _broad(list(inner)):
            return True
        if op is _sre.BRANCH and any(_broad(list(alternative)) for alternative in av[1]):
            return True
    return False


def _translate(items: Parsed) -> tuple[str, bool]:
    """RE2 syntax for a superset of ``items``, and whether it stopped early (after which
    nothing may be appended: the part after the stop is not known to line up)."""
    out = []
    for op, av in items:
        stopped = False
        if op is _sre.LITERAL:
            out.append(_literal(av))
        elif op is _sre.NOT_LITERAL:
            out.append(_ANY)
        elif op is _sre.ANY:
            out.append(_ANY)
        elif op is _sre.IN:
            out.append(_class(av))
        elif op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            continue  # an anchor or a lookaround only ever rules matches out
        elif op in (_sre.SUBPATTERN, _sre.ATOMIC_GROUP):
            body, stopped = _translate(list(av[-1] if op is _sre.SUBPATTERN else av))
            out.append("(?:" + body + ")")
        elif op is _sre.BRANCH:
            bodies = [_translate(list(alternative)) for alternative in av[1]]
            stopped = any(s for _, s in bodies)
            out.append("(?:" + "|".join(b for b, _ in bodies) + ")")
        elif op in _REPEATS:
            low, high, inner = av
            if high > 1 and _broad(list(inner)):
                return "".join(out), True
            body, stopped = _translate(list(inner))
            if stopped or high == 0:
                out.append("(?:" + body + ")" if low else "")
            else:
                suffix = ("?" if low == 0 else "") if high == 1 else ("*" if low == 0 else "+")
                out.append("(?:" + body + ")" + suffix)
        else:  # a backreference or a conditional: stop here
            return "".join(out), True
        if stopped:
            return "".join(out), True
    return "".join(out), False


def superset(expr: str) -> tuple[str, ...] | None:
    """RE2 patterns (on :func:`_latin1` bytes) that all match wherever ``expr`` matches with
    the ``regex`` module, case-insensitively; None when ``expr`` uses syntax only the ``regex``
    module reads, or nothing selective can be read off it.

    The pieces are the parts of ``expr`` between broad repeats at its top level: every match
    of ``\\bwe\\b[^.]{0,40}\\bare\\s+looking`` holds a match of "we" and one of
    "are looking", so the text must hold both. Requiring each piece on its own keeps the
    patterns short and the DFA small."""
    if _REGEX_ONLY.search(expr):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            items = list(_sre_parser.parse(expr))
    except Exception:  # noqa: BLE001 - syntax only the regex module knows
        return None
    pieces: list[str] = []
    current: list[str] = []
    for op, av in items:
        if op in _REPEATS and av[1] > 1 and _broad(list(av[2])):
            stopped = True  # a gap of unknown text: the next piece starts after it
        else:
            body, stopped = _translate([(op, av)])
            current.append(body)
        if stopped:
            pieces.append("".join(current))
            current = []
    pieces.append("".join(current))
    return tuple(piece for piece in pieces if piece) or None


ENGINES = ("auto", "hyperscan", "re2", "none")
"""How :class:`RegexSet` finds candidates: ``auto`` (Hyperscan when its database is stored, else
RE2 until the database is built), one engine only, or ``none`` (every regex runs)."""

COMPILE_AFTER = 1.0
"""CPU seconds a run may spend in the RE2 set before it builds the Hyperscan database (in a
background thread, then stored for every later run). One short draft never gets there; a run
over a few hundred messages does, and pays the build once."""

POLL_EVERY = 200
"""While on RE2, every this many texts look for a database another process has stored."""

LOCK_STALE = 300.0
"""Seconds after which a build lock left by another process is taken to be abandoned."""

_HS_FLAGS = 0 if hyperscan is None else hyperscan.HS_FLAG_SINGLEMATCH | hyperscan.HS_FLAG_ALLOWEMPTY


PACKAGED = ".prebuilt-prefilter.hsdb"
"""File in the packaged built-in rules directory holding the Hyperscan database of every
built-in rule's regexes, compiled when the wheel is built (``hatch_build.py``,
:func:`write_database`), so that a first run after installing loads it (a few milliseconds)
instead of building the RE2 set (about 0.1 s). Like a stored database it is used only when
its key matches (the same pieces, Hyperscan version and machine) and Hyperscan accepts it
on this CPU; a rule set that differs (``--rules``, ``select``, ``ignore``) does not match."""


def store_dir() -> Path:
    """Where compiled Hyperscan databases are stored: ``prefilter/`` in the cache directory
    (``CHECKIN_LINT_CACHE_DIR``, else the user cache directory)."""
    from checkin_lint.cache import ENV_DIR, FORMAT_VERSION, default_cache_dir

    return Path(os.environ.get(ENV_DIR) or default_cache_dir()) / f"v{FORMAT_VERSION}" / "prefilter"


@dataclass(frozen=True)
class _Engine:
    """One way of matching the pieces: ``match`` returns the ids found (None: gave up)."""

    name: str
    match: Callable[[str], Iterable[int] | None] | None
    owner: Sequence[int]
    """Id -> index of the expression the piece belongs to (-1 for the RE2 sentinel)."""
    pieces: Sequence[int]
    """Expression index -> pieces it has in this engine (0: none, it always runs)."""
    always: frozenset[int]


class RegexSet:
    """A fixed list of regexes, and for a text the indexes of those that may match it."""

    def __init__(self, expressions: Sequence[str],
                 supersets: Mapping[str, tuple[str, ...] | None] | None = None, *, engine: str = "auto") -> None:
        """``supersets`` holds :func:`superset` of expressions already translated; ``engine``
        is one of :data:`ENGINES`. Raises ValueError for an unknown engine."""
        if engine not in ENGINES:
            raise ValueError(f"unknown prefilter engine {engine!r}; expected one of {', '.join(ENGINES)}")
        supersets = supersets or {}
        self.size = len(expressions)
        self._patterns: list[str] = []
        self._owner: list[int] = []
        """Piece index -> index of its expression."""
        for i, expr in enumerate(expressions):
            for piece in (supersets[expr] if expr in supersets else superset(expr)) or ():
                self._patterns.append(piece)
                self._owner.append(i)
        self._hyperscan = hyperscan
        """The module, as it was when the set was made (a build may still run after that)."""
        self._fold, self._literals = _fold_table()
        self._key = hashlib.sha256("\0".join([
            _LAYOUT, getattr(hyperscan, "__version__", ""), platform.machine(), str(_HS_FLAGS),
            repr(sorted(self._literals.items())), *self._patterns]).encode()).hexdigest()
        """Names the Hyperscan database of these pieces: it covers everything the database
        depends on (the pieces as folded for Hyperscan follow from the pieces and the fold table)."""
        self._spent = 0.0
        self._calls = 0
        self._builder: threading.Thread | None = None
        self._upgrade = False
        """True while on RE2 with a Hyperscan database still to build or pick up."""
        self._engine = self._unfiltered()
        if engine in ("auto", "hyperscan") and self._hyperscan is not None:
            found = self._load_hyperscan()
            if found is None and engine == "hyperscan":
                found = self._build_hyperscan()
            if found is not None:
                self._engine = found
                return
        if engine in ("auto", "re2") and re2 is not None:
            self._engine = self._build_re2() or self._engine
        self._upgrade = engine == "auto" and self._hyperscan is not None and self._engine.name == "re2"

    @property
    def engine(self) -> str:
        """The engine in use now: ``hyperscan``, ``re2`` or ``none``."""
        return self._engine.name

    @property
    def always(self) -> frozenset[int]:
        """Indexes of the expressions that run on every text (no superset for them)."""
        return self._engine.always

    def _unfiltered(self) -> _Engine:
        return _Engine("none", None, (), [0] * self.size, frozenset(range(self.size)))

    def _finish(self, name: str, match: Callable[[str], Iterable[int] | None], owner: Sequence[int],
                refused: Iterable[int] = ()) -> _Engine:
        """An engine whose ids map to expressions through ``owner``; the expressions of the
        ``refused`` piece indexes always run."""
        pieces = [0] * self.size
        for i in owner:
            if i >= 0:
                pieces[i] += 1
        for j in refused:
            pieces[self._owner[j]] = 0
        return _Engine(name, match, owner, pieces, frozenset(i for i in range(self.size) if not pieces[i]))

    def _build_re2(self) -> _Engine | None:
        options = re2.Options()
        options.encoding = re2.Options.Encoding.LATIN1
        options.max_mem = MAX_MEM
        options.never_capture = True
        options.log_errors = False
        matcher = re2.Set.SearchSet(options)
        matcher.Add("")  # id 0 always matches: a missing 0 means RE2 gave up on the text
        owner = [-1]
        refused = []
        for j, piece in enumerate(self._patterns):
            try:
                matcher.Add(piece)
                owner.append(self._owner[j])
            except re2.error:  # beyond RE2's limits: the expression always runs
                refused.append(j)
        try:
            matcher.Compile()
        except re2.error:  # larger than MAX_MEM: every expression runs, as without a prefilter
            return None

        def match(text: str) -> list[int] | None:
            found = matcher.Match(_latin1(text))
            return found if found and 0 in found else None

        return self._finish("re2", match, owner, refused)

    def _hyperscan_engine(self, database: Any, refused: Iterable[int]) -> _Engine:
        scan = database.scan
        fold = self._fold

        def match(text: str) -> list[int] | None:
            found: list[int] = []
            try:
                scan(_latin1(text.translate(fold)), match_event_handler=_collect, context=found)
            except self._hyperscan.error:
                return None
            return found

        return self._finish("hyperscan", match, self._owner, refused)

    @property
    def _hs_patterns(self) -> list[str]:
        """The pieces as Hyperscan compiles them (on text folded with :func:`_fold_table`);
        worked out only to compile them, not to load a stored database."""
        return [_fold_piece(p, self._literals) for p in self._patterns]

    def _store_path(self) -> Path:
        return store_dir() / f"{self._key}.hsdb"

    def _load_hyperscan(self) -> _Engine | None:
        """The database stored by an earlier run or shipped in the package (:data:`PACKAGED`), or None."""
        from checkin_lint.cache import read_entry
        from checkin_lint.rules import builtin_rules_dir

        body = read_entry(self._store_path(), self._key, view=True)
        if body is None:
            body = read_entry(builtin_rules_dir() / PACKAGED, self._key, view=True)
        if body is None:
            return None
        try:
            refused, blob = _parse_entry(body)
            database = self._hyperscan.loadb(blob, self._hyperscan.HS_MODE_BLOCK)
            database.scratch = self._hyperscan.Scratch(database)
        except Exception:  # noqa: BLE001 - another CPU or library version: build it again
            return None
        return self._hyperscan_engine(database, refused)

    def _build_hyperscan(self) -> _Engine | None:
        """Compile the pieces into a Hyperscan database and store it; None if that fails."""
        from checkin_lint.cache import write_entry

        built = _compile_hyperscan(self._hyperscan, self._hs_patterns)
        if built is None:
            return None
        database, refused = built
        write_entry(self._store_path(), self._key, _entry_body(self._hyperscan, database, refused))
        return self._hyperscan_engine(database, refused)

    def _background_build(self) -> None:
        lock = self._store_path().with_suffix(".lock")
        try:
            lock.parent.mkdir(parents=True, exist_ok=True)
            if lock.exists() and time.time() - lock.stat().st_mtime < LOCK_STALE:
                return  # another process is building it: poll for its result instead
            lock.write_text(str(os.getpid()))
        except OSError:
            return
        try:
            built = self._build_hyperscan()
            if built is not None:
                self._engine = built  # one attribute store: atomic for the matching thread
        except Exception:  # noqa: BLE001 - out of memory and the like: stay on RE2
            return
        finally:
            with contextlib.suppress(OSError):
                lock.unlink()

    def _maybe_upgrade(self, spent: float) -> None:
        """On RE2: after :data:`COMPILE_AFTER` seconds of matching, build the Hyperscan
        database in a background thread (the compiler releases the GIL); meanwhile pick up
        one another process stored."""
        self._spent += spent
        self._calls += 1
        if self._builder is None and self._spent >= COMPILE_AFTER:
            # Not a daemon: the process waits for the build at exit, so the next run has it.
            self._builder = threading.Thread(target=self._background_build, name="checkin-lint-prefilter")
            self._builder.start()
        elif self._calls % POLL_EVERY == 0 and (self._builder is None or not self._builder.is_alive()):
            found = self._load_hyperscan()
            if found is not None:
                self._engine = found
        if self._engine.name != "re2":
            self._upgrade = False

    def candidates(self, text: str) -> list[int]:
        """Indexes of the expressions that may match ``text``, in increasing order: all but
        those the set proves cannot match. Every index, if the engine gave up on the text."""
        engine = self._engine
        if engine.match is None:
            return list(range(self.size))
        if self._upgrade:
            start = time.process_time()
            found = engine.match(text)
            self._maybe_upgrade(time.process_time() - start)
        else:
            found = engine.match(text)
        if found is None:
            return list(range(self.size))
        owner, pieces = engine.owner, engine.pieces
        result = set(engine.always)
        partial: dict[int, int] = {}
        for j in found:
            i = owner[j]
            if i < 0 or not pieces[i]:
                continue  # the sentinel, or a piece of an expression that always runs
            if pieces[i] == 1:
                result.add(i)
            else:  # one piece of several: the expression needs them all
                partial[i] = seen = partial.get(i, 0) + 1
                if seen == pieces[i]:
                    result.add(i)
        return sorted(result)


def write_database(expressions: Sequence[str], supersets: Mapping[str, tuple[str, ...] | None], path: Path) -> bool:
    """Compile the Hyperscan database of ``expressions`` and store it at ``path`` under the
    key a :class:`RegexSet` of the same expressions looks for (:data:`PACKAGED`). False when
    Hyperscan is not installed or refuses every piece; raises OSError when ``path`` cannot
    be written."""
    if hyperscan is None:
        return False
    regex_set = RegexSet(expressions, supersets, engine="none")
    built = _compile_hyperscan(hyperscan, regex_set._hs_patterns)
    if built is None:
        return False
    from checkin_lint.cache import entry_bytes

    path.write_bytes(entry_bytes(regex_set._key, _entry_body(hyperscan, *built)))
    return True


_LAYOUT = "hsdb-2"
"""Layout of a stored database (:func:`_entry_body`), part of its key."""


def _entry_body(hyperscan: Any, database: Any, refused: Iterable[int]) -> bytes:
    """A database and the pieces it refused, as stored: the length of the refused list (8
    decimal digits), the refused piece indexes (decimal, comma-separated), then the
    serialized database. Read back by :func:`_parse_entry`."""
    listed = ",".join(map(str, sorted(refused))).encode()
    return b"%08d" % len(listed) + listed + hyperscan.dumpb(database)


def _parse_entry(body: memoryview) -> tuple[list[int], bytes]:
    """The refused piece indexes and the serialized database of a stored body, copying the
    database (megabytes) once. Raises ValueError when the body is not such an entry."""
    size = int(bytes(body[:8]))
    return [int(i) for i in bytes(body[8:8 + size]).split(b",") if i], bytes(body[8 + size:])


def _collect(piece: int, start: int, end: int, flags: int, found: list[int]) -> None:
    found.append(piece)


def _compile_hyperscan(hyperscan: Any, patterns: Sequence[str]) -> tuple[Any, frozenset[int]] | None:
    """A block-mode database of ``patterns`` (id = index) and the indexes Hyperscan refused,
    or None when it refuses the whole set."""

    def compile_(indexes: list[int]) -> Any:
        database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        database.compile(expressions=[patterns[j].encode() for j in indexes], ids=indexes,
                         elements=len(indexes), flags=[_HS_FLAGS] * len(indexes))
        return database

    everything = list(range(len(patterns)))
    if not everything:
        return None
    try:
        return compile_(everything), frozenset()
    except hyperscan.error:  # the error does not say which pattern: find them one by one
        pass
    refused = set()
    for j in everything:
        try:
            compile_([j])
        except hyperscan.error:
            refused.add(j)
    kept = [j for j in everything if j not in refused]
    try:
        return (compile_(kept), frozenset(refused)) if kept else None
    except hyperscan.error:
        return None
