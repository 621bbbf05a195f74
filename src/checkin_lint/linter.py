"""The linter: message in, report out (findings, score, verdict, rewrite).

``Linter`` loads the rules and builds the pipeline once; ``lint_message`` then runs the
matchers on one message, resolves overlaps, scores the result and attaches a rewrite.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import islice
from typing import Any, Iterable, Iterator

from checkin_lint.document import Message, Source
from checkin_lint.engine.matching import CompiledRules, RawMatch, normalize, resolve_overlaps
from checkin_lint.engine.pipeline import blank_pipeline, load_model, sentence_spans, tokenizer_text
from checkin_lint.findings import Finding
from checkin_lint.quotes import dropped_parts, new_words
from checkin_lint.rewrite import Rewrite, suggest_rewrite
from checkin_lint.rules.loader import RuleSet, load_rules
from checkin_lint.rules.model import Family
from checkin_lint.scoring import VERDICT_RANK, Contribution, Score, score_findings
from checkin_lint.templates import VARIANT_OF, strip_merge_fields
from checkin_lint.variants import variants

ZONE_MESSAGES = 1000
"""Messages linted per spaCy memory zone (see :meth:`Linter.lint_messages`)."""
KEPT_WORDS = 20_000
"""Most words a linter keeps in its vocabulary past the memory zones (see
:meth:`Linter.lint_messages`). Each costs about 750 bytes of lexicon, string store and
tokenizer cache (50,000 distinct words added 37 MB of RSS to ``spacy.blank("en")``), so
about 15 MB at most; the most frequent words of a language come first, since a word is kept
when it is seen again."""


@dataclass
class MessageReport:
    """The result for one message."""

    message: Message
    findings: list[Finding]
    result: Score
    sentences: list[tuple[int, int]] = field(repr=False)
    families: dict[str, Family] = field(repr=False)

    @property
    def score(self) -> int:
        """0-100: how much value the message carries, net of empty check-in phrasing."""
        return self.result.score

    @property
    def verdict(self) -> str:
        """``reject``, ``warn`` or ``pass``."""
        return self.result.verdict

    @property
    def contributions(self) -> tuple[Contribution, ...]:
        """Every contribution to the score; they sum to :attr:`score`."""
        return self.result.contributions

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why the verdict is what it is, in words."""
        return self.result.reasons

    @property
    def line(self) -> int:
        """The 1-based line in the source file where the message text starts."""
        text = self.message.text
        start = len(text) - len(text.lstrip())
        return self.message.line_col(start)[0]

    @cached_property
    def rewrite(self) -> Rewrite:
        """A suggested value-first rewrite (computed on first use)."""
        return suggest_rewrite(
            self.message, self.sentences, self.findings, self.families,
            has_value=self.result.has_value or self.result.verdict == "pass",  # a passing message is not re-framed
        )

    def to_dict(self, *, with_rewrite: bool = True) -> dict[str, Any]:
        """The documented JSON shape of one message (see README, "JSON output")."""
        data: dict[str, Any] = {
            "label": self.message.label,
            "line": self.line,
            "channel": self.message.channel or None,
            "score": self.score,
            "verdict": self.verdict,
            "reasons": list(self.reasons),
            "contributions": [c.to_dict() for c in self.contributions],
            "findings": [f.to_dict() for f in self.findings],
            "dropped": dropped_parts(self.message),
            "variant": _variant(self.message),
        }
        if with_rewrite:
            data["rewrite"] = {"strategy": self.rewrite.strategy, "text": self.rewrite.text}
        return data


def _variant(message: Message) -> dict[str, int] | None:
    """``{"index", "count"}`` when the message is one variant of a template, else ``None``."""
    found = message.meta.get("variant")
    if not found:
        return None
    index, count = found  # type: ignore[misc]
    return {"index": index, "count": count}


class Linter:
    """Rules, pipeline and matchers, built once and reused for every message."""

    def __init__(
        self,
        ruleset: RuleSet | None = None,
        *,
        rule_dirs: Iterable[str] = (),
        min_score: int | None = None,
        model: str | None = None,
    ) -> None:
        self.ruleset = ruleset if ruleset is not None else load_rules(rule_dirs)
        self.min_score = min_score
        self.model = model
        self.nlp = load_model(model) if model else blank_pipeline()
        self.compiled = CompiledRules(self.ruleset, self.nlp, use_model=bool(model))
        self._supporting = frozenset(name for name, family in self.ruleset.families.items() if family.supporting)
        self._kept: set[str] = set()  # words made permanent in the vocabulary
        self._seen: set[str] = set()  # words seen once, in an earlier batch

    @property
    def families(self) -> dict[str, Family]:
        """The family table of the loaded rules."""
        return self.ruleset.families

    def lint_text(self, text: str, path: str = "<text>") -> MessageReport:
        """Lint a string as one plain-text message (quoted replies and signature left out)."""
        return self.lint_message(new_words(Message.whole(Source(path, text))))

    def lint_messages_from_texts(self, texts: Iterable[str], path: str = "<text>") -> Iterator[MessageReport]:
        """Lint strings, each as one plain-text message, in a stream."""
        return self.lint_messages(new_words(Message.whole(Source(path, text))) for text in texts)

    def lint_message(self, message: Message) -> MessageReport:
        """Lint one message."""
        return next(self.lint_messages([message]))

    def lint_messages(self, messages: Iterable[Message]) -> Iterator[MessageReport]:
        """Lint messages in a stream, :data:`ZONE_MESSAGES` at a time, one report per message.

        A template with conditional branches or spintax is linted once per variant (see
        :mod:`checkin_lint.variants`) and reported by its worst variant: some recipient gets it.
        Each batch runs in its own spaCy memory zone, so the strings it adds to the vocabulary
        are freed before the next batch: memory stays flat however long the stream. No zone is
        open while the caller holds a report (zones must not nest, and the caller may lint
        again in between). Inside a zone spaCy builds every word afresh and caches no
        tokenization, which on mail (a file, often one message, per call) took longer than the
        tokenizing itself; so a word seen again in a later batch is then added for good, up to
        :data:`KEPT_WORDS` words (see :meth:`_keep_words`): memory grows by at most that many
        words, and reports do not change.
        """
        counts: deque[int] = deque()

        def expanded() -> Iterator[Message]:
            for message in messages:
                found = variants(message)
                counts.append(len(found))
                if found != [message]:
                    for variant in found:
                        variant.meta[VARIANT_OF] = message  # the rewrite keeps every branch
                yield from found

        prepared = (strip_merge_fields(m, self.families) for m in expanded())
        pairs = ((normalize(m.text), m) for m in prepared)
        reports = self._lint_stream(pairs)
        for first in reports:
            yield _worst([first, *islice(reports, counts.popleft() - 1)])

    def _lint_stream(self, pairs: Iterator[tuple[str, Message]]) -> Iterator[MessageReport]:
        while batch := list(islice(pairs, ZONE_MESSAGES)):
            yield from self._lint_batch(batch)

    def _lint_batch(self, batch: list[tuple[str, Message]]) -> list[MessageReport]:
        reports = []
        with self.nlp.memory_zone():
            tokenized = [(tokenizer_text(t), (t, m)) for t, m in batch]
            for doc, (text, message) in self.nlp.pipe(tokenized, as_tuples=True):
                sentences = sentence_spans(doc)
                found = self.compiled.find(doc, sentences=sentences, text=text)
                reports.append(self._report(message, resolve_overlaps(found, self._supporting), sentences))
        self._keep_words([t for t, _ in tokenized])
        return reports

    def _keep_words(self, texts: list[str]) -> None:
        """Add the words of ``texts`` (as the tokenizer was given them) seen in an earlier
        batch to the vocabulary for good, while fewer than :data:`KEPT_WORDS` are kept:
        outside any memory zone, so their tokenization is cached too (the tokenizer caches
        each space-separated piece on its own, so pieces joined by spaces are cached as they
        come in any text). Words seen once are remembered in a set that is emptied when it
        passes four times that size. Set operations only: no Python loop over the words."""
        if len(self._kept) >= KEPT_WORDS:
            return
        words: set[str] = set()
        for text in texts:
            words.update(text.split())
        words -= self._kept
        again = words & self._seen
        self._seen |= words
        if again:
            added = sorted(again)[:KEPT_WORDS - len(self._kept)]
            self.nlp.tokenizer(" ".join(added))
            self._kept.update(added)
            self._seen.difference_update(added)
        if len(self._seen) > 4 * KEPT_WORDS:
            self._seen.clear()

    def _report(self, message: Message, raw: list[RawMatch], sentences: list[tuple[int, int]]) -> MessageReport:
        findings = [self._finding(message, m) for m in raw]
        result = score_findings(message, findings, self.ruleset, min_score=self.min_score)
        return MessageReport(message, findings, result, sentences, self.families)

    @staticmethod
    def _finding(message: Message, match: RawMatch) -> Finding:
        rule = match.rule
        matched = message.text[match.start:match.end]
        src_start = message.source_offset(match.start)
        src_end = message.source_offset(match.end)
        line, col = message.source.line_col(src_start)
        end_line, end_col = message.source.line_col(src_end)
        return Finding(
            rule_id=rule.id, kind=rule.kind, family=rule.family, severity=rule.severity,
            start=match.start, end=match.end,
            source_start=message.source.file_offset(src_start), source_end=message.source.file_offset(src_end),
            line=line, column=col, end_line=end_line, end_column=end_col,
            text=matched, message=rule.format_message(" ".join(matched.split())), suggestion=rule.suggestion,
            fixable=bool(rule.fix and rule.fix.safe),
        )


def _worst(group: list[MessageReport]) -> MessageReport:
    """The report of the variant that fares worst (highest verdict, then lowest score), its
    label saying which variant it is."""
    if len(group) == 1:
        return group[0]
    worst = max(group, key=lambda r: (VERDICT_RANK[r.verdict], -r.score))
    index, count = worst.message.meta["variant"]  # type: ignore[misc]
    which = f"variant {index} of {count} (the worst)"
    worst.message.label = f"{worst.message.label}, {which}" if worst.message.label else which
    return worst


@lru_cache(maxsize=8)
def _cached_linter(rule_dirs: tuple[str, ...], min_score: int | None, model: str | None) -> Linter:
    return Linter(rule_dirs=rule_dirs, min_score=min_score, model=model)


def get_linter(*, rule_dirs: Iterable[str] = (), min_score: int | None = None, model: str | None = None) -> Linter:
    """A shared :class:`Linter` for these options (built on first use)."""
    return _cached_linter(tuple(str(d) for d in rule_dirs), min_score, model)
