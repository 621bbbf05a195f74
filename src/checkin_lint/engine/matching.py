"""Compile a rule set into spaCy matchers and regexes, run them, resolve overlaps.

Pattern kinds, all handled here:

* ``phrases`` go into one shared :class:`~spacy.matcher.PhraseMatcher` on ``LOWER``, which
  costs about the same however many phrases the rules hold.
* ``tokens`` go into one :class:`~spacy.matcher.Matcher`. ``LEMMA`` is expanded into the
  word's inflected forms (the blank pipeline has no lemmatizer, so an unexpanded LEMMA
  would silently match nothing).
* ``regex`` runs on the text, for what the tokenizer splits (money, percentages, URLs,
  dates, times). Regexes use the ``regex`` module with a time limit per message, so a user
  rule cannot hang the linter, and only those the prefilter
  (:mod:`~checkin_lint.engine.prefilter`, Hyperscan or RE2) says may match the message run at all.
* ``model`` token patterns need a trained pipeline (POS, DEP ...); without one they are
  skipped and the linter says so once.
* ``unless`` regexes veto a match when they match the sentence around it.

Overlaps are resolved deliberately: within a kind (anti-pattern or signal), of matches that
share characters the heavier rule wins, then the longer match, then the lower rule id; so
"any update on the pilot?" is one nudge finding, not also a weaker vague-question finding.
Among signals, a supporting family (personalization, an offer) never wins over a signal that
carries value on its own: "a flat that matches what you were looking for" is the find, not
only the reference to what they said.
A signal and an anti-pattern may overlap: they say different things about the same words.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any, Collection, Iterable

import regex
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from checkin_lint.engine.pipeline import MAX_WRAPPED_LINE, sentence_spans
from checkin_lint.engine import prefilter
from checkin_lint.engine.prefilter import RegexSet
from checkin_lint.errors import Problem, RuleError
from checkin_lint.rules.loader import RuleSet
from checkin_lint.rules.model import Rule, TokenPattern

_FLAGS = regex.IGNORECASE | regex.V0
REGEX_TIMEOUT = 0.25
"""Seconds one rule regex may spend on one message before it is abandoned; a regex that hits
the limit once is skipped for the rest of the run, so the limit is paid once per regex, not
once per message."""

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


MAX_REPEAT = 8
"""Most tokens an ``OP`` of ``+``, ``*`` or ``{n,}`` in a token pattern matches. Unbounded, a
pattern such as ``[{IS_ALPHA: true, OP: '+'}]`` makes spaCy's Matcher track and return every
sub-span of a run of words: time and output quadratic in the message's length."""
_UNBOUNDED = {"+": "{1,%d}" % MAX_REPEAT, "*": "{0,%d}" % MAX_REPEAT}


def bound_repeats(pattern: TokenPattern) -> TokenPattern:
    """``pattern`` with every unbounded repeat (``+``, ``*``, ``{n,}``) limited to
    :data:`MAX_REPEAT` tokens (or ``n``, if more), so matching stays linear in the message."""
    bounded: TokenPattern = []
    for spec in pattern:
        op = spec.get("OP")
        if isinstance(op, str) and (op in _UNBOUNDED or (op.startswith("{") and op.endswith(",}"))):
            low = int(op[1:-2] or 0) if op.startswith("{") else (1 if op == "+" else 0)
            spec = {**spec, "OP": "{%d,%d}" % (low, max(low, MAX_REPEAT))}
        bounded.append(spec)
    return bounded


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
    """A rule set compiled for one pipeline. Build once, then call :meth:`find` per doc.

    Rule regexes are compiled on first use: a run that lints one short draft needs few of
    them, and compiling all of them would cost more than linting it.
    """

    def __init__(self, ruleset: RuleSet, nlp: Language, *, use_model: bool) -> None:
        self.ruleset = ruleset
        self.use_model = use_model
        self.skipped_model_rules = tuple(r.id for r in ruleset.rules if r.needs_model and not use_model)
        self._by_key: dict[int, Rule] = {}
        self._phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._tokens = Matcher(nlp.vocab, validate=True)
        self._unless: dict[str, list[int]] = {}
        """Rule id -> indexes of its ``unless`` regexes in :attr:`_regexes`."""
        self._compiled: dict[int, Any] = {}
        self._disabled: set[int] = set()
        """Indexes of regexes that hit the time limit: skipped from then on."""
        self.timed_out: set[str] = set()
        """Ids of rules whose regex hit the time limit on some message (reported as notices)."""
        problems: list[Problem] = []
        for rule in ruleset.rules:
            key = nlp.vocab.strings.add(rule.id)
            self._by_key[key] = rule
            if rule.patterns.phrases:
                docs = list(nlp.tokenizer.pipe(normalize(p) for p in rule.patterns.phrases))
                self._phrases.add(rule.id, docs)
            token_patterns = [bound_repeats(expand_lemmas(p)) for p in rule.patterns.tokens]
            if use_model:
                token_patterns += [bound_repeats(expand_lemmas(p)) for p in rule.patterns.model]
            if token_patterns:
                try:
                    self._tokens.add(rule.id, token_patterns)
                except ValueError as exc:  # spaCy's own pattern validation
                    problems.append(Problem(rule.path, "invalid token pattern: " + " ".join(str(exc).split())))
        self._regexes: list[tuple[Rule, str]] = list(ruleset.regexes)
        """Every rule regex, then every ``unless`` regex: the expressions of :attr:`_prefilter`."""
        self._rule_regexes = sum(len(rule.patterns.regex) for rule in ruleset.rules)
        for index in range(self._rule_regexes, len(self._regexes)):
            self._unless.setdefault(self._regexes[index][0].id, []).append(index)
        if problems:
            raise RuleError(problems)
        self._prefilter = RegexSet([expr for _, expr in self._regexes], ruleset.supersets)

    def prepare_prefilter(self) -> str:
        """Build (or load) the prefilter's Hyperscan database now, rather than in the background
        once a run has spent a second on RE2 (see :mod:`~checkin_lint.engine.prefilter`);
        returns the engine now in use (``hyperscan``, or ``re2``/``none`` where it has no wheel)."""
        engine = "hyperscan" if prefilter.hyperscan is not None else "auto"
        self._prefilter = RegexSet([expr for _, expr in self._regexes], self.ruleset.supersets, engine=engine)
        return self._prefilter.engine

    def _pattern(self, index: int) -> Any:
        """The compiled regex at ``index`` (compiled on first use)."""
        compiled = self._compiled.get(index)
        if compiled is None:
            compiled = self._compiled[index] = regex.compile(self._regexes[index][1], _FLAGS)
        return compiled

    def reset_time_limits(self) -> None:
        """Enable again every regex that hit its time limit, and forget the notices: a new
        run starts with the whole rule set (a long-lived linter, such as a test session's,
        calls this between runs)."""
        self._disabled.clear()
        self.timed_out.clear()

    def find(self, doc: Doc, rules: Iterable[Rule] | None = None, *,
             sentences: list[tuple[int, int]] | None = None, text: str | None = None) -> list[RawMatch]:
        """All matches in ``doc`` (after ``unless`` vetoes), before overlap resolution.

        ``rules`` restricts the result to those rules (used to test one rule's examples);
        ``sentences`` are the doc's :func:`~checkin_lint.engine.pipeline.sentence_spans`, when
        the caller has them already; ``text`` is what the regexes run on (default ``doc.text``;
        the same length, when the doc was made from a :func:`~checkin_lint.engine.pipeline.tokenizer_text`).
        """
        text = doc.text if text is None else text
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
        possible = self._prefilter.candidates(text)  # the others cannot match this text
        for index in possible:
            if index >= self._rule_regexes:
                break  # the rest are unless regexes
            rule = self._regexes[index][0]
            if (wanted is not None and rule.id not in wanted) or index in self._disabled:
                continue
            try:
                spans = [m.span() for m in self._pattern(index).finditer(text, timeout=REGEX_TIMEOUT)]
            except TimeoutError:  # a pathological regex: no finding rather than a hang, and never again
                self._disabled.add(index)
                self.timed_out.add(rule.id)
                continue
            found += [RawMatch(rule, start, end) for start, end in spans if end > start]
        if self._unless and found:
            bounds = [start for start, _ in (sentence_spans(doc) if sentences is None else sentences)]
            vetoes = set(possible[bisect.bisect_left(possible, self._rule_regexes):])
            verdicts: dict[tuple[str, int], bool] = {}
            found = [m for m in found if not self._vetoed(m, text, bounds, verdicts, vetoes)]
        return found

    def _vetoed(self, match: RawMatch, text: str, bounds: list[int], verdicts: dict[tuple[str, int], bool],
                possible: set[int]) -> bool:
        """True when one of the rule's ``unless`` regexes matches the match's sentence. The
        answer depends only on the rule and the sentence, so it is worked out once per pair
        (``verdicts``): many matches in one long sentence must not rescan it each time."""
        vetoes = [i for i in self._unless.get(match.rule.id, ()) if i in possible and i not in self._disabled]
        if not vetoes:
            return False
        i = bisect.bisect_right(bounds, match.start) - 1
        key = (match.rule.id, i)
        if key not in verdicts:
            start = bounds[i] if i >= 0 else 0
            end = bounds[i + 1] if i + 1 < len(bounds) else len(text)
            sentence = text[start:end]
            verdicts[key] = False
            for v in vetoes:
                try:
                    if self._pattern(v).search(sentence, timeout=REGEX_TIMEOUT):
                        verdicts[key] = True
                        break
                except TimeoutError:
                    self._disabled.add(v)
                    self.timed_out.add(match.rule.id)
        return verdicts[key]


def resolve_overlaps(matches: list[RawMatch], supporting: Collection[str] = ()) -> list[RawMatch]:
    """Keep, within each kind, the heaviest of any matches that share characters (then the
    longer match, then the lower rule id), a match of a ``supporting`` family (names) only
    where no other signal shares its characters; return the survivors in text order."""
    kept: list[RawMatch] = []
    for kind in ("anti-pattern", "signal"):
        ranked = sorted(
            (m for m in matches if m.rule.kind == kind),
            key=lambda m: (m.rule.family in supporting, -m.rule.weight, -(m.end - m.start), m.rule.id, m.start),
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
