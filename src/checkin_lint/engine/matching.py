"""Compile a rule set into spaCy matchers and regexes, run them, resolve overlaps.

Pattern kinds, all handled here:

* ``phrases`` go into one shared :class:`~spacy.matcher.PhraseMatcher` on ``LOWER``; this
  is where most rules live, so matching stays fast as rules grow.
* ``tokens`` go into one :class:`~spacy.matcher.Matcher`. ``LEMMA`` is expanded into the
  word's inflected forms (the blank pipeline has no lemmatizer, so an unexpanded LEMMA
  would silently match nothing).
* ``regex`` runs on the text, for what the tokenizer splits (money, percentages, URLs,
  dates, times). Regexes use the ``regex`` module with a time limit per message, so a user
  rule cannot hang the linter.
* ``model`` token patterns need a trained pipeline (POS, DEP ...); without one they are
  skipped and the linter says so once.
* ``unless`` regexes veto a match when they match the sentence around it.

Overlaps are resolved deliberately: within a kind (anti-pattern or signal), of matches that
share characters the heavier rule wins, then the longer match, then the lower rule id; so
"any update on the pilot?" is one nudge finding, not also a weaker vague-question finding.
A signal and an anti-pattern may overlap: they say different things about the same words.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any, Iterable

import re._constants as _sre  # the standard library's regex parser, read-only use
import re._parser as _sre_parser

import regex
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from checkin_lint.engine.pipeline import MAX_WRAPPED_LINE
from checkin_lint.errors import Problem, RuleError
from checkin_lint.rules.loader import RuleSet
from checkin_lint.rules.model import Rule, TokenPattern

REGEX_TIMEOUT = 0.25
"""Seconds one rule regex may spend on one message before it is abandoned."""

_CURLY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u02bc": "'"})


# A soft line break: a newline ending a long line that does not end a clause, inside a
# paragraph (the same test the line-aware sentence component applies).
_SOFT_WRAP = regex.compile(r"(?m)(?<=^[^\n]{%d,})(?<=[^\s.!?:;,])\n(?=[ \t]*\S)" % MAX_WRAPPED_LINE)


def normalize(text: str) -> str:
    """Text as the matchers see it, one character for one so offsets are unchanged: typographic
    quotes become ASCII, and a hard-wrapped line break inside a sentence becomes a space, so
    "I know you're\\nbusy" matches like "I know you're busy"."""
    return _SOFT_WRAP.sub(" ", text.translate(_CURLY))


@dataclass(frozen=True)
class RawMatch:
    """A rule match before it becomes a finding: the rule and message character offsets."""

    rule: Rule
    start: int
    end: int


def inflections(word: str) -> list[str]:
    """The forms a lemma can take in text: ``check`` -> check, checks, checked, checking.

    Over-generation is harmless for matching; irregular verbs list their forms explicitly.
    """
    w = word.lower()
    if " " in w or not w.isalpha():
        return [w]
    forms = {w}
    if w in _IRREGULAR:
        forms.update(_IRREGULAR[w])
    if w.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(w + "es")
    elif w.endswith("y") and len(w) > 2 and w[-2] not in "aeiou":
        forms.update((w[:-1] + "ies", w[:-1] + "ied"))
    else:
        forms.add(w + "s")
    stem = w[:-1] if w.endswith("e") and not w.endswith("ee") else w
    if len(w) >= 3 and w[-1] not in "aeiouwxy" and w[-2] in "aeiou" and w[-3] not in "aeiou" and len(w) <= 4:
        stem = w + w[-1]  # stop -> stopping, stopped
    forms.update((stem + "ing", stem + "ed", w + "ing"))
    return sorted(forms)


_IRREGULAR = {
    "be": ["am", "is", "are", "was", "were", "been", "being"],
    "have": ["has", "had", "having"],
    "do": ["does", "did", "done", "doing"],
    "go": ["goes", "went", "gone", "going"],
    "get": ["gets", "got", "gotten", "getting"],
    "send": ["sends", "sent", "sending"],
    "see": ["sees", "saw", "seen", "seeing"],
    "hear": ["hears", "heard", "hearing"],
    "reach": ["reaches", "reached", "reaching"],
    "make": ["makes", "made", "making"],
    "think": ["thinks", "thought", "thinking"],
    "find": ["finds", "found", "finding"],
    "meet": ["meets", "met", "meeting"],
    "read": ["reads", "reading"],
    "write": ["writes", "wrote", "written", "writing"],
    "come": ["comes", "came", "coming"],
    "know": ["knows", "knew", "known", "knowing"],
    "put": ["puts", "putting"],
    "catch": ["catches", "caught", "catching"],
    "take": ["takes", "took", "taken", "taking"],
    "leave": ["leaves", "left", "leaving"],
    "speak": ["speaks", "spoke", "spoken", "speaking"],
    "bring": ["brings", "brought", "bringing"],
    "run": ["runs", "ran", "running"],
    "touch": ["touches", "touched", "touching"],
}


def expand_lemmas(pattern: TokenPattern) -> TokenPattern:
    """Rewrite ``LEMMA`` conditions as ``LOWER`` in-lists of inflected forms."""
    expanded: TokenPattern = []
    for spec in pattern:
        spec = dict(spec)
        lemma = spec.pop("LEMMA", None)
        if lemma is not None:
            words = lemma["IN"] if isinstance(lemma, dict) else [lemma]
            spec["LOWER"] = {"IN": sorted({form for w in words for form in inflections(w)})}
        expanded.append(spec)
    return expanded


class CompiledRules:
    """A rule set compiled for one pipeline. Build once, then call :meth:`find` per doc."""

    def __init__(self, ruleset: RuleSet, nlp: Language, *, use_model: bool) -> None:
        self.ruleset = ruleset
        self.use_model = use_model
        self.skipped_model_rules = tuple(r.id for r in ruleset.rules if r.needs_model and not use_model)
        self._by_key: dict[int, Rule] = {}
        self._phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._tokens = Matcher(nlp.vocab, validate=True)
        self._regexes: list[tuple[Rule, Any, Clauses]] = []
        self._unfiltered: list[int] = []
        """Regexes with no required literal: run on every message."""
        self._by_literal: dict[str, list[int]] = {}
        """Literal of a regex's most selective clause -> the regexes it may let through."""
        self._literals_by_gram: dict[str, set[str]] = {}
        """First :data:`MIN_LITERAL` characters -> every clause literal starting with them."""
        self._unless: dict[str, list[tuple[Any, Clauses]]] = {}
        self.timed_out: set[str] = set()
        """Ids of rules whose regex hit the time limit on some message (reported as notices)."""
        problems: list[Problem] = []
        for rule in ruleset.rules:
            key = nlp.vocab.strings.add(rule.id)
            self._by_key[key] = rule
            if rule.patterns.phrases:
                docs = list(nlp.tokenizer.pipe(normalize(p) for p in rule.patterns.phrases))
                self._phrases.add(rule.id, docs)
            token_patterns = [expand_lemmas(p) for p in rule.patterns.tokens]
            if use_model:
                token_patterns += [expand_lemmas(p) for p in rule.patterns.model]
            if token_patterns:
                try:
                    self._tokens.add(rule.id, token_patterns)
                except ValueError as exc:  # spaCy's own pattern validation
                    problems.append(Problem(rule.path, "invalid token pattern: " + " ".join(str(exc).split())))
            for expr in rule.patterns.regex:
                self._add_regex(rule, expr)
            if rule.patterns.unless:
                self._unless[rule.id] = [(regex.compile(expr, regex.IGNORECASE), self._index_literals(expr))
                                         for expr in rule.patterns.unless]
        if problems:
            raise RuleError(problems)

    def _index_literals(self, expr: str) -> Clauses:
        """The required literals of ``expr``, added to the index :meth:`_present` looks up."""
        clauses = required_literals(expr)
        for literal in set().union(*clauses):
            self._literals_by_gram.setdefault(literal[:MIN_LITERAL], set()).add(literal)
        return clauses

    def _add_regex(self, rule: Rule, expr: str) -> None:
        index = len(self._regexes)
        clauses = self._index_literals(expr)
        self._regexes.append((rule, regex.compile(expr, regex.IGNORECASE | regex.V0), clauses))
        if not clauses:
            self._unfiltered.append(index)
        for literal in clauses[0] if clauses else ():
            self._by_literal.setdefault(literal, []).append(index)

    def _present(self, text: str) -> set[str]:
        """The indexed literals that occur in ``text`` (casefolded)."""
        folded = text.casefold()
        # A literal can only be in the text if its first three characters are: look at those first.
        grams = {folded[i:i + MIN_LITERAL] for i in range(len(folded) - MIN_LITERAL + 1)}
        return {literal for gram in grams.intersection(self._literals_by_gram)
                for literal in self._literals_by_gram[gram] if literal in folded}

    def _candidate_regexes(self, present: set[str]) -> list[int]:
        """Indexes of the regexes whose required literals are all ``present``, in rule order."""
        candidates = set(self._unfiltered).union(*(self._by_literal.get(literal, ()) for literal in present))
        return sorted(i for i in candidates if _satisfied(self._regexes[i][2][1:], present))

    def find(self, doc: Doc, rules: Iterable[Rule] | None = None) -> list[RawMatch]:
        """All matches in ``doc`` (after ``unless`` vetoes), before overlap resolution.

        ``rules`` restricts the result to those rules (used to test one rule's examples).
        """
        text = doc.text
        wanted = None if rules is None else {r.id for r in rules}
        found: list[RawMatch] = []
        spans = list(self._phrases(doc)) if len(self._phrases) else []
        if len(self._tokens):
            spans += self._tokens(doc)
        for key, start, end in spans:
            rule = self._by_key[key]
            if wanted is None or rule.id in wanted:
                span = doc[start:end]
                found.append(RawMatch(rule, span.start_char, span.end_char))
        present = self._present(text)
        for index in self._candidate_regexes(present):  # the others cannot match: a required word is missing
            rule, compiled, _ = self._regexes[index]
            if wanted is not None and rule.id not in wanted:
                continue
            try:
                for m in compiled.finditer(text, timeout=REGEX_TIMEOUT):
                    if m.end() > m.start():
                        found.append(RawMatch(rule, m.start(), m.end()))
            except TimeoutError:  # a pathological regex on this text: no finding rather than a hang
                self.timed_out.add(rule.id)
        if self._unless:
            bounds = [s.start_char for s in doc.sents]
            verdicts: dict[tuple[str, int], bool] = {}
            found = [m for m in found if not self._vetoed(m, text, bounds, verdicts, present)]
        return found

    def _vetoed(self, match: RawMatch, text: str, bounds: list[int], verdicts: dict[tuple[str, int], bool],
                present: set[str]) -> bool:
        """True when one of the rule's ``unless`` regexes matches the match's sentence. The
        answer depends only on the rule and the sentence, so it is worked out once per pair
        (``verdicts``): many matches in one long sentence must not rescan it each time."""
        vetoes = self._unless.get(match.rule.id)
        if not vetoes:
            return False
        i = bisect.bisect_right(bounds, match.start) - 1
        key = (match.rule.id, i)
        if key not in verdicts:
            start = bounds[i] if i >= 0 else 0
            end = bounds[i + 1] if i + 1 < len(bounds) else len(text)
            sentence = text[start:end]
            try:
                verdicts[key] = any(v.search(sentence, timeout=REGEX_TIMEOUT) for v, clauses in vetoes
                                    if _satisfied(clauses, present))
            except TimeoutError:
                self.timed_out.add(match.rule.id)
                verdicts[key] = False
        return verdicts[key]


MIN_LITERAL = 3
"""Shortest literal worth a prefilter check: shorter ones are in almost every message."""

Clauses = tuple[frozenset[str], ...]
"""What every match of a regex contains: at least one string of each clause (casefolded)."""

_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT)


def required_literals(expr: str) -> Clauses:
    """The literal strings a match of ``expr`` must contain, as clauses: every match contains
    at least one string of each clause. Most selective clause first; empty when nothing of
    :data:`MIN_LITERAL` or more characters can be read off the pattern.

    A rule regex is only run on a message that satisfies its clauses: substring tests are far
    cheaper than hundreds of regex scans, and almost every rule regex has required words
    (``\\bany\\s+updates?\\b`` needs "any" and "update"). The pattern is read with the
    standard library's own regex parser; one it cannot read simply gets no prefilter.
    """
    try:
        clauses = _clauses(list(_sre_parser.parse(expr)))
    except Exception:  # noqa: BLE001 - syntax only the regex module knows: no prefilter
        return ()
    folded = {frozenset(s.casefold() for s in clause) for clause in clauses}
    return tuple(sorted(folded, key=lambda c: (-min(map(len, c)), len(c), sorted(c))))


def _satisfied(clauses: Iterable[frozenset[str]], present: set[str]) -> bool:
    """True when every clause has a literal in ``present``."""
    return all(not clause.isdisjoint(present) for clause in clauses)


def _clauses(items: list[tuple[Any, Any]]) -> list[set[str]]:
    clauses: list[set[str]] = []
    run: list[str] = []

    def add(clause: set[str]) -> None:
        if clause and min(map(len, clause)) >= MIN_LITERAL:
            clauses.append(clause)

    for op, av in items:
        if op is _sre.LITERAL:
            run.append(chr(av))
            continue
        if op in _REPEATS and av[0] >= 1 and len(av[2]) == 1 and av[2][0][0] is _sre.LITERAL:
            run.append(chr(av[2][0][1]) * av[0])  # fol+ow: "fol" is there, then maybe more l's
        if op is _sre.BRANCH and run:  # (?:leave|let) is parsed as "le" + (?:ave|t)
            add({"".join(run) + _leading(list(alternative)) for alternative in av[1]})
        add({"".join(run)})
        run = []
        if op is _sre.SUBPATTERN:
            clauses += _clauses(list(av[-1]))
        elif op is _sre.ATOMIC_GROUP:
            clauses += _clauses(list(av))
        elif op is _sre.BRANCH:
            best = [max(_clauses(list(alternative)), key=lambda c: min(map(len, c)), default=None) for alternative in av[1]]
            if all(best):
                add(set().union(*best))  # type: ignore[arg-type]
        elif op in _REPEATS and av[0] >= 1:
            clauses += _clauses(list(av[2]))
    add({"".join(run)})
    return clauses


def _leading(items: list[tuple[Any, Any]]) -> str:
    """The literal characters a parsed sequence starts with."""
    chars = []
    for op, av in items:
        if op is not _sre.LITERAL:
            break
        chars.append(chr(av))
    return "".join(chars)


def resolve_overlaps(matches: list[RawMatch]) -> list[RawMatch]:
    """Keep, within each kind, the heaviest of any matches that share characters (then the
    longer match, then the lower rule id); return the survivors in text order."""
    kept: list[RawMatch] = []
    for kind in ("anti-pattern", "signal"):
        ranked = sorted(
            (m for m in matches if m.rule.kind == kind),
            key=lambda m: (-m.rule.weight, -(m.end - m.start), m.rule.id, m.start),
        )
        # The spans taken so far are disjoint, kept sorted: a new match can only collide with
        # the last taken span starting before it ends, so each check is a binary search.
        starts: list[int] = []
        ends: list[int] = []
        for m in ranked:
            i = bisect.bisect_left(starts, m.end)
            if i and ends[i - 1] > m.start:
                continue
            starts.insert(i, m.start)
            ends.insert(i, m.end)
            kept.append(m)
    return sorted(kept, key=lambda m: (m.start, m.end, m.rule.id))
