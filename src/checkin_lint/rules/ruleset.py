"""The loaded rule set and rule selectors.

Apart from the loader, so that the result cache can rebuild a :class:`RuleSet` without
importing the loader (which imports the prefilter, which stores its tables in the cache).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Iterable

from checkin_lint.rules.model import Family, Rule
from checkin_lint.scoring import DEFAULT_SCORING, Scoring


@dataclass(frozen=True)
class RuleSet:
    """The loaded rules plus the family table, in a stable order (by rule id).

    ``supersets`` maps each regex of the rules to its RE2 prefilter pattern
    (:func:`checkin_lint.engine.prefilter.superset`). It is worked out when the rules load, so
    that the cached rule set carries it and start-up does not translate every regex again; a
    regex missing from it is translated when the linter is built.
    """

    rules: tuple[Rule, ...]
    families: dict[str, Family]
    fingerprint: str
    scoring: Scoring = DEFAULT_SCORING
    supersets: dict[str, tuple[str, ...] | None] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def _by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}

    def get(self, rule_id: str) -> Rule | None:
        """Return the rule with ``rule_id`` or ``None``."""
        return self._by_id.get(rule_id)

    @cached_property
    def regexes(self) -> tuple[tuple[Rule, str], ...]:
        """Every rule regex, rule by rule, then every ``unless`` regex, rule by rule: the
        expressions of the linter's regex prefilter, in the order it indexes them (the order
        a packaged Hyperscan database of the built-in rules is built in)."""
        return (tuple((rule, expr) for rule in self.rules for expr in rule.patterns.regex)
                + tuple((rule, expr) for rule in self.rules for expr in rule.patterns.unless))

    def select(self, keep: Iterable[str] | None = None, drop: Iterable[str] = ()) -> RuleSet:
        """A rule set restricted by rule id or id prefix (``checkin`` matches ``checkin/*``)."""
        keep_list = list(keep) if keep is not None else None
        drop_list = list(drop)
        rules = tuple(
            r for r in self.rules
            if (keep_list is None or any(matches_selector(r.id, s) for s in keep_list))
            and not any(matches_selector(r.id, s) for s in drop_list)
        )
        digest = hashlib.sha256((self.fingerprint + "|" + ",".join(r.id for r in rules)).encode()).hexdigest()
        return replace(self, rules=rules, fingerprint=digest)


def merge_rulesets(rulesets: Iterable[RuleSet]) -> RuleSet:
    """One rule set holding the rules of all ``rulesets`` (the first with an id wins), for a
    report over files linted with different configurations."""
    rulesets = list(rulesets)
    if len(rulesets) == 1:
        return rulesets[0]
    rules: dict[str, Rule] = {}
    for ruleset in rulesets:
        for rule in ruleset.rules:
            rules.setdefault(rule.id, rule)
    digest = hashlib.sha256("|".join(r.fingerprint for r in rulesets).encode()).hexdigest()
    return RuleSet(tuple(sorted(rules.values(), key=lambda r: r.id)), rulesets[0].families, digest)


def matches_selector(rule_id: str, selector: str) -> bool:
    """True when ``selector`` is the rule id or one of its path prefixes (``checkin``, ``checkin/``)."""
    selector = selector.rstrip("/")
    return rule_id == selector or rule_id.startswith(selector + "/") or selector in ("ALL", "*")


