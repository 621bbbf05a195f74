"""Which rule regexes can match a message, decided for all of them in one pass.

Running hundreds of rule regexes over every message is what a linter built on regexes spends
its time on, and on a typical message only a handful can match. :class:`RegexSet` finds that
handful with one call into RE2's multi-pattern matcher (``RE2::Set``, via Google's
``google-re2`` bindings): it runs all the patterns together in a DFA, in time linear in the
message. Only the regexes it names are then run, with the ``regex`` module and its time limit,
to find the actual matches; no result changes. Where ``google-re2`` has no wheel (Intel macOS)
it is not installed, and every regex runs on every message: slower, with the same results.

RE2 does not speak the ``regex`` module's dialect (no lookaround, ASCII-only ``\\w``), so each
pattern is first translated into a **superset** (:func:`superset`): a pattern that matches
wherever the original matches (and more). Lookarounds and anchors are dropped, every letter
stands for all the characters the ``regex`` module folds it with, and each character class
takes in every non-ASCII character. Matching runs on Latin-1 bytes, with characters beyond
Latin-1 read as one stand-in byte that those classes contain. The translation stops at the
first repeat of a broad class (``[^.?!\\n]{0,40}``, ``.*``) inside a group; at the top level
such a repeat splits the pattern into pieces that must each match (see :func:`superset`).
Either way the patterns stay short and the DFA small. A pattern it cannot translate always
runs.
"""

from __future__ import annotations

import codecs
import re._constants as _sre  # the standard library's regex parser, read-only use
import re._parser as _sre_parser
import warnings
from typing import Any, Mapping, Sequence

import regex
from regex._regex import get_all_cases  # the case sets the regex module itself matches with

try:
    import re2
except ImportError:  # no wheel for this platform (Intel macOS): every regex runs
    re2 = None

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


class RegexSet:
    """A fixed list of regexes, and for a text the indexes of those that may match it."""

    def __init__(self, expressions: Sequence[str],
                 supersets: Mapping[str, tuple[str, ...] | None] | None = None) -> None:
        """``supersets`` holds :func:`superset` of expressions already translated."""
        self.size = len(expressions)
        self._owner: list[int] = [-1]
        """Set index -> index of the expression the piece belongs to (0 is the sentinel's)."""
        self._pieces = [0] * self.size
        """Expression index -> how many pieces it has in the set (0: none, it always runs)."""
        self._set = self._build(expressions, supersets or {}) if re2 is not None else None
        if self._set is None:
            self._pieces = [0] * self.size
        self.always = frozenset(i for i in range(self.size) if not self._pieces[i])
        """Indexes of the expressions that run on every text (no superset for them)."""

    def _build(self, expressions: Sequence[str], supersets: Mapping[str, tuple[str, ...] | None]) -> Any:
        options = re2.Options()
        options.encoding = re2.Options.Encoding.LATIN1
        options.max_mem = MAX_MEM
        options.never_capture = True
        options.log_errors = False
        matcher = re2.Set.SearchSet(options)
        matcher.Add("")  # index 0 always matches: a missing 0 means RE2 gave up on the text
        for i, expr in enumerate(expressions):
            pieces = supersets[expr] if expr in supersets else superset(expr)
            try:
                for piece in pieces or ():
                    matcher.Add(piece)
                    self._owner.append(i)
                    self._pieces[i] += 1
            except re2.error:  # beyond RE2's limits: the expression always runs
                self._pieces[i] = 0
        try:
            matcher.Compile()
        except re2.error:  # larger than MAX_MEM: every expression runs, as without a prefilter
            return None
        return matcher

    def candidates(self, text: str) -> list[int]:
        """Indexes of the expressions that may match ``text``, in increasing order: all but
        those the set proves cannot match. Every index, if RE2 gave up (out of memory)."""
        found = self._set.Match(_latin1(text)) if self._set is not None else None
        if not found or 0 not in found:
            return list(range(self.size))
        owner, pieces = self._owner, self._pieces
        result = set(self.always)
        partial: dict[int, int] = {}
        for j in found:
            if not j:
                continue  # the sentinel
            i = owner[j]
            if pieces[i] == 1:
                result.add(i)
            else:  # one piece of several: the expression needs them all
                partial[i] = seen = partial.get(i, 0) + 1
                if seen == pieces[i]:
                    result.add(i)
        return sorted(result)
