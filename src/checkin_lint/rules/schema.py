"""The strict schema of rule files and of the family table.

Validation collects every problem at once, each with the YAML path it concerns; the loader
turns paths into line and column. The schema is written out here rather than with a
validation library so that ``checkin-lint rules`` stays fast (no heavy import on start-up).
"""

from __future__ import annotations

import re
from typing import Any

import regex

from checkin_lint.rules.model import SEVERITIES
from checkin_lint.rules.yamlsource import Path

KINDS = ("anti-pattern", "signal")
FIX_ACTIONS = ("delete-match", "delete-sentence")
FIX_WHEN = ("always", "value-present")
MAX_WEIGHT = 60

# Token attributes the blank pipeline fills in (LEMMA is expanded to LOWER forms).
BLANK_ATTRS = frozenset(
    "ORTH TEXT NORM LOWER LENGTH IS_ALPHA IS_ASCII IS_DIGIT IS_LOWER IS_UPPER IS_TITLE "
    "IS_PUNCT IS_SPACE IS_STOP IS_SENT_START IS_BRACKET IS_QUOTE IS_LEFT_PUNCT "
    "IS_RIGHT_PUNCT IS_CURRENCY LIKE_NUM LIKE_URL LIKE_EMAIL SHAPE PREFIX SUFFIX "
    "LEMMA OP".split()
)
# Attributes only a trained pipeline fills in: allowed in ``patterns.model`` only.
MODEL_ATTRS = frozenset("POS TAG MORPH DEP ENT_TYPE ENT_IOB ENT_ID ENT_KB_ID".split())
OPS = ("!", "?", "+", "*", "{1,3}")
_OP_RE = re.compile(r"^(!|\?|\+|\*|\{\d*,?\d*\})$")
_PREDICATES = ("IN", "NOT_IN", "REGEX", "FUZZY", "==", "!=", ">=", "<=", ">", "<", "IS_SUBSET", "IS_SUPERSET", "INTERSECTS")

RULE_KEYS: dict[str, tuple[type | tuple[type, ...], bool]] = {
    # key: (type, required)
    "name": (str, True),
    "kind": (str, True),
    "family": (str, True),
    "severity": (str, False),
    "weight": (int, True),
    "message": (str, True),
    "rationale": (str, False),
    "suggestion": (str, True),
    "fix": (dict, False),
    "patterns": (dict, True),
    "examples": (dict, True),
}
PATTERN_KEYS = ("phrases", "tokens", "regex", "model", "unless")
EXAMPLE_KEYS = ("match", "no_match", "fixed")

Problems = list[tuple[Path, str]]


def _type_name(expected: type | tuple[type, ...]) -> str:
    names = {str: "a string", int: "a whole number", dict: "a mapping", list: "a list", bool: "true or false"}
    if isinstance(expected, tuple):
        return " or ".join(names.get(t, t.__name__) for t in expected)
    return names.get(expected, expected.__name__)


def _unknown(keys: Any, allowed: Any, path: Path, problems: Problems) -> None:
    for key in keys:
        if key not in allowed:
            problems.append((path + (key,), f"unknown key {key!r} (allowed: {', '.join(allowed)})"))


def _string_list(value: Any, path: Path, problems: Problems, *, what: str) -> None:
    if not isinstance(value, list) or not value:
        problems.append((path, f"{what} must be a non-empty list of strings"))
        return
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            problems.append((path + (i,), f"{what} entries must be non-empty strings"))


def validate_rule(data: Any, families: dict[str, Any]) -> Problems:
    """Return every problem with a parsed rule file (an empty list when it is valid)."""
    problems: Problems = []
    if not isinstance(data, dict):
        return [((), "a rule file must be a mapping of keys such as name, kind, family, patterns")]
    _unknown(data, RULE_KEYS, (), problems)
    for key, (expected, required) in RULE_KEYS.items():
        if key not in data:
            if required:
                problems.append(((), f"missing required key {key!r}"))
            continue
        value = data[key]
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            problems.append(((key,), f"{key!r} must be {_type_name(expected)}"))
    kind = data.get("kind")
    if isinstance(kind, str) and kind not in KINDS:
        problems.append((("kind",), f"kind must be one of {', '.join(KINDS)}, not {kind!r}"))
    family = data.get("family")
    if isinstance(family, str):
        if family not in families:
            problems.append((("family",), f"unknown family {family!r} (known: {', '.join(sorted(families))})"))
        elif kind in KINDS and families[family]["kind"] != kind:
            problems.append((("family",), f"family {family!r} is a {families[family]['kind']} family, not {kind}"))
    severity = data.get("severity")
    if isinstance(severity, str) and severity not in SEVERITIES:
        problems.append((("severity",), f"severity must be one of {', '.join(SEVERITIES)}"))
    weight = data.get("weight")
    if isinstance(weight, int) and not isinstance(weight, bool) and not 1 <= weight <= MAX_WEIGHT:
        problems.append((("weight",), f"weight must be between 1 and {MAX_WEIGHT}"))
    for key in ("name", "message", "suggestion"):
        if isinstance(data.get(key), str) and not data[key].strip():
            problems.append(((key,), f"{key!r} must not be empty"))
    if isinstance(data.get("fix"), dict):
        _validate_fix(data["fix"], problems)
    if isinstance(data.get("patterns"), dict):
        _validate_patterns(data["patterns"], problems)
    if isinstance(data.get("examples"), dict):
        _validate_examples(data["examples"], problems, has_fix="fix" in data)
    return problems


def _validate_fix(fix: dict[str, Any], problems: Problems) -> None:
    _unknown(fix, ("action", "safe", "when"), ("fix",), problems)
    if fix.get("action") not in FIX_ACTIONS:
        problems.append((("fix", "action"), f"fix.action must be one of {', '.join(FIX_ACTIONS)}"))
    if "safe" in fix and not isinstance(fix["safe"], bool):
        problems.append((("fix", "safe"), "fix.safe must be true or false"))
    if "when" in fix and fix["when"] not in FIX_WHEN:
        problems.append((("fix", "when"), f"fix.when must be one of {', '.join(FIX_WHEN)}"))


def _validate_patterns(patterns: dict[str, Any], problems: Problems) -> None:
    base: Path = ("patterns",)
    _unknown(patterns, PATTERN_KEYS, base, problems)
    if not any(k in patterns for k in ("phrases", "tokens", "regex", "model")):
        problems.append((base, "patterns needs at least one of phrases, tokens, regex, model"))
    for key in ("phrases", "regex", "unless"):
        if key in patterns:
            _string_list(patterns[key], base + (key,), problems, what=f"patterns.{key}")
    for key in ("regex", "unless"):
        for i, expr in enumerate(patterns.get(key) or []):
            if isinstance(expr, str):
                problem = check_regex(expr)
                if problem:
                    problems.append((base + (key, i), problem))
    for key in ("tokens", "model"):
        if key in patterns:
            _validate_token_patterns(patterns[key], base + (key,), problems, model=key == "model")


def check_regex(expr: str) -> str:
    """Return why ``expr`` is not an acceptable rule regex, or ``""`` when it is."""
    try:  # the same engine and flags the matcher uses
        compiled = regex.compile(expr, regex.IGNORECASE | regex.V0)
    except regex.error as exc:
        return f"invalid regex: {exc}"
    if compiled.match(""):
        return "regex matches the empty string; it would match everywhere"
    if _NESTED_QUANTIFIER.search(expr):
        return "regex nests a repeated group inside a repeat (catastrophic backtracking); rewrite it without nested quantifiers"
    return ""


# A quantified group whose body itself ends in a quantifier, e.g. (a+)+ or (\w+\s*)*. Subtler
# shapes ((\w*\s?)*) are not caught here; the run-time timeout bounds them.
_NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:\)|\|(?:[^()\\]|\\.)*\))\s*[+*{]")


def _validate_token_patterns(value: Any, path: Path, problems: Problems, *, model: bool) -> None:
    if not isinstance(value, list) or not value:
        problems.append((path, "token patterns must be a non-empty list of patterns (each a list of token specs)"))
        return
    allowed = BLANK_ATTRS | MODEL_ATTRS if model else BLANK_ATTRS
    for i, pattern in enumerate(value):
        if not isinstance(pattern, list) or not pattern:
            problems.append((path + (i,), "each token pattern must be a non-empty list of token specs"))
            continue
        uses_model = False
        for j, spec in enumerate(pattern):
            where = path + (i, j)
            if not isinstance(spec, dict):
                problems.append((where, "a token spec must be a mapping such as {LOWER: checking}"))
                continue
            for attr, cond in spec.items():
                if attr in MODEL_ATTRS:
                    uses_model = True
                if attr not in allowed:
                    if attr in MODEL_ATTRS:
                        problems.append((where + (attr,), f"{attr} needs a trained pipeline: move this pattern to patterns.model"))
                    else:
                        problems.append((where + (attr,), f"unknown token attribute {attr!r}"))
                    continue
                if attr == "OP":
                    if not isinstance(cond, str) or not _OP_RE.match(cond):
                        problems.append((where + (attr,), f"OP must be one of {', '.join(OPS)}"))
                    continue
                if attr != "LEMMA" and isinstance(cond, dict) and "REGEX" in cond:  # spaCy runs it with `re`, without a time limit
                    problems.append((where + (attr,), "REGEX is not allowed in token patterns (it would run without "
                                                      "a time limit): use patterns.regex, which runs under one"))
                    continue
                _validate_condition(attr, cond, where + (attr,), problems)
        if model and not uses_model:
            problems.append((path + (i,), "patterns.model is for patterns that use POS, TAG, MORPH, DEP or ENT_TYPE; put this one under patterns.tokens"))


def _validate_condition(attr: str, cond: Any, path: Path, problems: Problems) -> None:
    if isinstance(cond, dict):
        for predicate, operand in cond.items():
            if predicate not in _PREDICATES:
                problems.append((path + (predicate,), f"unknown predicate {predicate!r}"))
            elif predicate in ("IN", "NOT_IN") and not (isinstance(operand, list) and operand):
                problems.append((path + (predicate,), f"{predicate} takes a non-empty list"))
            elif predicate == "REGEX" and isinstance(operand, str) and (problem := check_regex(operand)):
                problems.append((path + (predicate,), problem))
        if attr == "LEMMA" and set(cond) - {"IN"}:
            problems.append((path, "LEMMA accepts a word or {IN: [...]} (it is expanded to word forms on the blank pipeline)"))
        return
    if attr.startswith(("IS_", "LIKE_")):
        if not isinstance(cond, bool):
            problems.append((path, f"{attr} takes true or false"))
    elif attr == "LENGTH":
        if not isinstance(cond, int) or isinstance(cond, bool):
            problems.append((path, "LENGTH takes a whole number"))
    elif not isinstance(cond, str):
        problems.append((path, f"{attr} takes a string (quote words YAML reads as booleans, such as 'yes' or 'no')"))


def _validate_examples(examples: dict[str, Any], problems: Problems, *, has_fix: bool) -> None:
    base: Path = ("examples",)
    _unknown(examples, EXAMPLE_KEYS, base, problems)
    for key in ("match", "no_match"):
        if key not in examples:
            problems.append((base, f"examples.{key} is required: every rule proves itself with examples that must and must not match"))
        else:
            _string_list(examples[key], base + (key,), problems, what=f"examples.{key}")
    if "fixed" in examples:
        fixed = examples["fixed"]
        if not isinstance(fixed, list) or not fixed:
            problems.append((base + ("fixed",), "examples.fixed must be a list of {before, after} pairs"))
        else:
            for i, pair in enumerate(fixed):
                if not (isinstance(pair, dict) and set(pair) == {"before", "after"} and all(isinstance(v, str) for v in pair.values())):
                    problems.append((base + ("fixed", i), "each examples.fixed entry needs exactly 'before' and 'after' strings"))
        if not has_fix:
            problems.append((base + ("fixed",), "examples.fixed needs a fix: section"))


FAMILY_KEYS = ("kind", "title", "cap", "empty", "supporting", "slot", "fields", "not-fields", "not-after")


def validate_families(data: Any) -> Problems:
    """Return every problem with the family table."""
    problems: Problems = []
    if not isinstance(data, dict) or not isinstance(data.get("families"), dict):
        return [((), "the family table must have a 'families' mapping")]
    _unknown(data, ("families",), (), problems)
    for name, spec in data["families"].items():
        path: Path = ("families", name)
        if not isinstance(spec, dict):
            problems.append((path, "a family must be a mapping"))
            continue
        _unknown(spec, FAMILY_KEYS, path, problems)
        if spec.get("kind") not in KINDS:
            problems.append((path + ("kind",), f"kind must be one of {', '.join(KINDS)}"))
        if not isinstance(spec.get("title"), str):
            problems.append((path + ("title",), "title must be a string"))
        if not isinstance(spec.get("cap"), int) or spec["cap"] < 1:
            problems.append((path + ("cap",), "cap must be a positive whole number"))
        for key in ("fields", "not-fields", "not-after"):
            if key in spec:
                _string_list(spec[key], path + (key,), problems, what=key)
        for key in ("empty", "supporting"):
            if key in spec and not isinstance(spec[key], bool):
                problems.append((path + (key,), f"{key} must be true or false"))
    return problems


SCORING_INTS = {"base": (0, 100), "reject-below": (0, 100), "pass-from": (0, 100), "value-min": (0, 100),
                "slot-weight": (0, 100)}
SCORING_TABLES = ("scale", "after-value")
SCORING_KEYS = (*SCORING_INTS, "decay", *SCORING_TABLES, "opening-filler")


def validate_scoring(data: Any, families: dict[str, Any]) -> Problems:
    """Return every problem with a scoring table (``scoring.yml``): the whole numbers of
    :data:`SCORING_INTS` and ``decay`` (0 to 1) are required; ``scale`` and ``after-value``
    map known family names to numbers from 0 to 10; ``opening-filler`` lists anti-pattern
    family names; ``reject-below`` must be below ``pass-from``."""
    problems: Problems = []
    if not isinstance(data, dict):
        return [((), "the scoring table must be a mapping")]
    _unknown(data, SCORING_KEYS, (), problems)
    for key, (low, high) in SCORING_INTS.items():
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            problems.append(((key,) if key in data else (), f"{key} must be a whole number from {low} to {high}"))
    decay = data.get("decay")
    if isinstance(decay, bool) or not isinstance(decay, (int, float)) or not 0 <= decay <= 1:
        problems.append((("decay",) if "decay" in data else (), "decay must be a number from 0 to 1"))
    if not problems and data["reject-below"] >= data["pass-from"]:
        problems.append((("reject-below",), "reject-below must be lower than pass-from"))
    for table in SCORING_TABLES:
        entries = data.get(table, {})
        if not isinstance(entries, dict):
            problems.append(((table,), f"{table} must map family names to numbers"))
            continue
        for name, value in entries.items():
            if name not in families:
                problems.append(((table, name), f"unknown family {name!r} (known: {', '.join(sorted(families))})"))
            elif isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 10:
                problems.append(((table, name), f"a family's {table} factor must be a number from 0 to 10"))
    openers = data.get("opening-filler", [])
    if not isinstance(openers, list):
        problems.append((("opening-filler",), "opening-filler must be a list of anti-pattern family names"))
        openers = []
    anti = sorted(name for name, family in families.items() if family.kind != "signal")
    for index, name in enumerate(openers):
        if name not in anti:
            problems.append((("opening-filler", index),
                             f"opening-filler takes anti-pattern families, not {name!r} (known: {', '.join(anti)})"))
    return problems
