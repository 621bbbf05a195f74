"""Find, parse and validate rule files; build the rule set.

A rule's id is its path below a rules directory without the suffix:
``rules/checkin/touching-base.yml`` is ``checkin/touching-base``. The built-in rules ship
inside the wheel (``checkin_lint/_rules``); in a source checkout they are read from the
top-level ``rules/`` folder. ``families.yml`` at the top of the built-in directory is the
family table.
"""

from __future__ import annotations

import difflib
import hashlib
import os
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from checkin_lint.errors import Problem, RuleError
from checkin_lint.rules import RULE_SUFFIXES, builtin_rules_dir
from checkin_lint.rules.model import Family, Fix, Patterns, Rule
from checkin_lint.rules.ruleset import RuleSet, matches_selector
from checkin_lint.scoring import DEFAULT_SCORING, Scoring

if TYPE_CHECKING:
    from checkin_lint.rules.yamlsource import Located

FAMILIES_FILE = "families.yml"
SCORING_FILE = "scoring.yml"
TABLE_FILES = (FAMILIES_FILE, SCORING_FILE)
"""Files at the top of the built-in rules directory that are tables, not rules."""
PREBUILT = ".prebuilt-ruleset.pickle"
"""File in the packaged built-in rules directory holding those rules already loaded (validated,
regexes translated), written when the wheel is built (``hatch_build.py``), so that a first run
after installing does not pay for loading them."""
DEFAULT_SEVERITY = {"anti-pattern": "warning", "signal": "info"}


def selector_problem(selector: str, ids: Iterable[str], *, noun: str = "rule or prefix") -> str | None:
    """``None`` when ``selector`` names at least one of ``ids`` (as the id, one of its path
    prefixes, ``ALL`` or ``*``); otherwise what is wrong, with the closest ids and prefixes as
    a "did you mean" hint (:func:`difflib.get_close_matches`, cutoff 0.6)."""
    ids = list(ids)
    if any(matches_selector(i, selector) for i in ids):
        return None
    names = sorted({"/".join(parts[:n]) for parts in (i.split("/") for i in ids) for n in range(1, len(parts) + 1)})
    wanted = selector.rstrip("/")
    depth = wanted.count("/")
    close = (difflib.get_close_matches(wanted, [n for n in names if n.count("/") == depth], n=3, cutoff=0.6)
             or difflib.get_close_matches(wanted, names, n=3, cutoff=0.6))
    if not close:  # a mistyped family with a right rule name: 'chekin/touching-base'
        tail = wanted.rpartition("/")[2]
        close = [n for n in names if tail and n.rpartition("/")[2] == tail][:3]
    hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else "; run 'checkin-lint rules' to list them"
    return f"unknown {noun} {selector!r}{hint}"


def load_rules(extra_dirs: Iterable[str | Path] = (), *, builtin: bool = True,
               scoring: str | Path | None = None) -> RuleSet:
    """Load the built-in rules and any extra rule directories, and the scoring table
    (``scoring``, or the built-in ``scoring.yml``). Raises :class:`RuleError` listing every
    problem in every file when anything is invalid.

    The built-in rules alone come from the prebuilt file shipped in the wheel (:data:`PREBUILT`)
    when it was built from exactly the rule files beside it."""
    extra_dirs = list(extra_dirs)
    base = builtin_rules_dir()
    if builtin and not extra_dirs and scoring is None:
        prebuilt = read_prebuilt(base)
        if prebuilt is not None:
            return prebuilt
    return _load_rules(base, extra_dirs, builtin, scoring)


def _load_rules(base: Path, extra_dirs: list[str | Path], builtin: bool, scoring: str | Path | None = None) -> RuleSet:
    problems: list[Problem] = []
    hasher = hashlib.sha256()
    families = _load_families(base / FAMILIES_FILE, problems, hasher)
    score_table = load_scoring(Path(scoring) if scoring else base / SCORING_FILE, families, problems, hasher)
    dirs = ([base] if builtin else []) + [Path(d) for d in extra_dirs]
    rules: dict[str, Rule] = {}
    for directory in dirs:
        if not directory.is_dir():
            problems.append(Problem(str(directory), "rules directory does not exist"))
            continue
        for path in sorted(p for p in directory.rglob("*") if p.suffix in RULE_SUFFIXES and p.is_file()):
            rel = path.relative_to(directory)
            if rel.as_posix() in TABLE_FILES:
                continue
            rule_id = rel.with_suffix("").as_posix()
            rule = _load_rule(path, rule_id, families, problems, hasher)
            if rule is None:
                continue
            if rule_id in rules:
                problems.append(Problem(str(path), f"duplicate rule id {rule_id!r} (also in {rules[rule_id].path})"))
                continue
            rules[rule_id] = rule
    if problems:
        raise RuleError(problems)
    from checkin_lint.engine.prefilter import superset  # here: a cached rule set does not need it

    expressions = {expr for rule in rules.values() for expr in rule.patterns.regex + rule.patterns.unless}
    return RuleSet(tuple(sorted(rules.values(), key=lambda r: r.id)), families, hasher.hexdigest(), score_table,
                   {expr: superset(expr) for expr in sorted(expressions)})


def _rules_digest(base: Path) -> str:
    """A hash of the name and bytes of every rule file under ``base`` (not of where it is).
    Every run of the prebuilt rules pays it, so it walks with :func:`os.walk` (following
    links to folders, as the loader's ``rglob`` does), a few times faster than ``rglob``."""
    found = []
    for folder, _, names in os.walk(base, followlinks=True):
        for name in names:
            path = os.path.join(folder, name)
            if os.path.splitext(name)[1] in RULE_SUFFIXES and os.path.isfile(path):
                found.append((os.path.relpath(path, base).replace(os.sep, "/"), path))
    digest = hashlib.sha256()
    for rel, path in sorted(found):
        with open(path, "rb") as handle:
            digest.update(rel.encode() + b"\0" + handle.read() + b"\0")
    return digest.hexdigest()


def write_prebuilt(path: Path) -> RuleSet:
    """Load the built-in rules (:func:`builtin_rules_dir`) and write them to ``path`` for
    :func:`read_prebuilt`, rule paths relative to that directory; return them. Raises
    :class:`RuleError` when they are invalid."""
    import pickle

    base = builtin_rules_dir()
    ruleset = _load_rules(base, [], True)
    rules = tuple(replace(r, path=Path(r.path).relative_to(base).as_posix()) for r in ruleset.rules)
    path.write_bytes(pickle.dumps((_rules_digest(base), replace(ruleset, rules=rules)), protocol=pickle.HIGHEST_PROTOCOL))
    return ruleset


def read_prebuilt(base: Path) -> RuleSet | None:
    """The rule set :func:`write_prebuilt` stored in ``base``, if there and built from the rule
    files now in ``base``; else None. The rule files are hashed on every call; the stored
    file is read once per process while its size and modification time stay the same."""
    try:
        info = os.stat(base / PREBUILT)
    except OSError:
        return None
    stored = _unpickled(str(base), info.st_size, info.st_mtime_ns)
    if stored is None or stored[0] != _rules_digest(base):
        return None
    return stored[1]


def prebuilt_serves(extra_dirs: Iterable[str | Path], scoring: str | Path | None) -> bool:
    """True when :func:`load_rules` with these arguments returns the prebuilt rules (no extra
    rule directories, the built-in scoring table, and a prebuilt file that matches the rule
    files): reading it is as quick as reading a cache entry, so no cache entry is needed."""
    return not list(extra_dirs) and scoring is None and read_prebuilt(builtin_rules_dir()) is not None


@lru_cache(maxsize=4)
def _unpickled(base: str, size: int, mtime_ns: int) -> tuple[str, RuleSet] | None:
    """The digest and rule set stored in ``base`` (rule paths made absolute), or None when the
    file cannot be read or is not such a pair; ``size`` and ``mtime_ns`` key the memo."""
    import pickle

    try:
        digest, ruleset = pickle.loads((Path(base) / PREBUILT).read_bytes())
    except Exception:  # noqa: BLE001 - unreadable, or from another build: load the rules instead
        return None
    if not isinstance(ruleset, RuleSet) or not isinstance(digest, str):
        return None
    return digest, replace(ruleset, rules=tuple(replace(r, path=str(Path(base) / r.path)) for r in ruleset.rules))


def _read(path: Path, problems: list[Problem], hasher: Any) -> Located | None:
    # Imported in the functions that read rule files: a run served a cached rule set neither
    # parses YAML nor validates, and skips importing both.
    from checkin_lint.rules.yamlsource import YamlSyntaxError, load_located

    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(str(path), f"cannot read rule file: {exc}"))
        return None
    hasher.update(path.name.encode() + b"\0" + raw)
    try:
        return load_located(text)
    except YamlSyntaxError as exc:
        problems.append(Problem(str(path), f"invalid YAML: {exc}", exc.line, exc.column))
        return None


def _validated(path: Path, validate: Callable[[Any], list[tuple[Any, str]]], problems: list[Problem],
               hasher: Any) -> Any:
    """The data of a YAML file that ``validate`` finds no problem with, or None; every problem
    (unreadable, bad YAML, invalid) is appended with its line and column."""
    located = _read(path, problems, hasher)
    if located is None:
        return None
    found = validate(located.data)
    for where, message in found:
        line, col = located.where(where)
        problems.append(Problem(str(path), message, line, col))
    return None if found else located.data


def _load_families(path: Path, problems: list[Problem], hasher: Any) -> dict[str, Family]:
    from checkin_lint.rules.schema import validate_families

    data = _validated(path, validate_families, problems, hasher)
    if data is None:
        return {}
    return {
        name: Family(name=name, kind=spec["kind"], title=spec["title"], cap=spec["cap"],
                     empty=spec.get("empty", False), supporting=spec.get("supporting", False), slot=spec.get("slot", ""),
                     fields=tuple(spec.get("fields", ())), not_fields=tuple(spec.get("not-fields", ())),
                     not_after=tuple(spec.get("not-after", ())))
        for name, spec in data["families"].items()
    }


def load_scoring(path: Path, families: dict[str, Family], problems: list[Problem], hasher: Any) -> Scoring:
    """Read and validate a scoring table (``scoring.yml``); problems are appended, and the
    built-in defaults are returned when the file is invalid."""
    from checkin_lint.rules.schema import validate_scoring

    data = _validated(path, lambda d: validate_scoring(d, families), problems, hasher)
    if data is None:
        return DEFAULT_SCORING
    return Scoring(
        base=data["base"], reject_below=data["reject-below"], pass_from=data["pass-from"],
        value_min=data["value-min"], decay=float(data["decay"]), slot_weight=data["slot-weight"],
        scale={k: float(v) for k, v in data.get("scale", {}).items()},
        after_value={k: float(v) for k, v in data.get("after-value", {}).items()},
        opening_filler=tuple(data.get("opening-filler", ())),
        source=str(path),
    )


def _load_rule(path: Path, rule_id: str, families: dict[str, Family], problems: list[Problem], hasher: Any) -> Rule | None:
    from checkin_lint.rules.schema import validate_rule

    family_table = {name: {"kind": f.kind} for name, f in families.items()}
    data = _validated(path, lambda d: validate_rule(d, family_table), problems, hasher)
    if data is None:
        return None
    pats = data["patterns"]
    fix = data.get("fix")
    examples = data["examples"]
    return Rule(
        id=rule_id,
        path=str(path),
        name=data["name"].strip(),
        kind=data["kind"],
        family=data["family"],
        severity=data.get("severity", DEFAULT_SEVERITY[data["kind"]]),
        weight=data["weight"],
        message=data["message"].strip(),
        suggestion=data["suggestion"].strip(),
        rationale=" ".join(data.get("rationale", "").split()),
        patterns=Patterns(
            phrases=tuple(pats.get("phrases", ())),
            tokens=tuple(pats.get("tokens", ())),
            regex=tuple(pats.get("regex", ())),
            model=tuple(pats.get("model", ())),
            unless=tuple(pats.get("unless", ())),
        ),
        fix=Fix(action=fix["action"], safe=fix.get("safe", False), when=fix.get("when", "always")) if fix else None,
        examples_match=tuple(examples["match"]),
        examples_no_match=tuple(examples["no_match"]),
        examples_fixed=tuple((p["before"], p["after"]) for p in examples.get("fixed", ())),
    )
