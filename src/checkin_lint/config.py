"""Configuration: ``.checkin-lint.yaml`` or ``[tool.checkin-lint]`` in ``pyproject.toml``.

The file is found by walking up from the folder that holds the linted files (their common
folder; the current folder for standard input); in each folder ``.checkin-lint.yaml``
(or ``.yml``) wins over ``pyproject.toml``, and a ``pyproject.toml`` without a
``[tool.checkin-lint]`` table is passed over. ``--config FILE`` names one. One configuration
applies to the whole run. Relative paths in it (rule directories, globs) are relative to
the folder of the configuration file.

Keys (``pyproject.toml`` spelling; the YAML file uses the same keys)::

    [tool.checkin-lint]
    select = ["checkin", "nudge", "insight"]     # only these rules and checks (ids or prefixes)
    extend-select = ["playbook"]                 # add to select
    ignore = ["tone/just"]                       # skip these
    rules = ["team-rules"]                       # extra rule directories
    min-score = 60                               # messages below get at least a warning
    fail-on = "warn"                             # reject (default) or warn
    model = "en_core_web_sm"                     # opt-in trained spaCy pipeline
    exclude = ["drafts/old/", "*.bak.md"]        # globs skipped when a folder is linted
    max-file-size = 2_000_000                    # bytes; larger inputs are an error
    script-speakers = ["rep", "sam"]             # sender labels in call scripts
    markdown-fences = ["", "text", "email"]      # fenced-block languages that hold templates
    language = "auto"                            # auto: skip messages not in English; en: lint all

    [tool.checkin-lint.per-file-ignores]
    "legacy/**" = ["tone"]

    [tool.checkin-lint.severity]                 # error, warning or info, by rule id or prefix
    "tone" = "info"

    [tool.checkin-lint.formats]                  # glob -> input format
    "scripts/*.md" = "script"

    [tool.checkin-lint.csv]
    column = "Body"
    subject-column = "Subject"
    id-column = "Id"

    [tool.checkin-lint.cadence]
    min-gap-days = 2
    checkup-min-days = 28
    checkup-max-days = 42

Command-line options win: ``--select`` replaces ``select``, ``--ignore`` and ``--rules``
add to ``ignore`` and ``rules``, the others replace. An unknown key or a bad value is an
error naming the file, the key and (for YAML) the line; every problem is reported at once.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import stat
import sys
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from checkin_lint.errors import ConfigError, Problem
from checkin_lint.inputs import DEFAULT_FENCES, DEFAULT_SPEAKERS, EXTENSIONS, MAX_BYTES, READERS, ReadOptions, format_for
from checkin_lint.language import LANGUAGES
from checkin_lint.playbook import Cadence
from checkin_lint.rules.model import SEVERITIES
from checkin_lint.scoring import FAIL_LEVELS

if TYPE_CHECKING:
    from checkin_lint.rules.loader import RuleSet

CONFIG_NAMES = (".checkin-lint.yaml", ".checkin-lint.yml")
PYPROJECT = "pyproject.toml"
TOOL = "checkin-lint"
DEFAULT_EXCLUDED_FOLDERS = ("node_modules", "__pycache__", "venv")
"""Dependency folders: always skipped (see :data:`DEFAULT_EXCLUDE`)."""
DEFAULT_EXCLUDE = (".*", *(f"{name}/" for name in DEFAULT_EXCLUDED_FOLDERS))
"""Always skipped when a folder is linted (hidden files and folders, dependency folders)."""

PathT = tuple[Any, ...]


@dataclass(frozen=True)
class Config:
    """A validated configuration (defaults where a key is absent). ``root`` is the folder
    relative paths and globs are resolved against; ``path`` the file it came from."""

    root: str = "."
    path: str | None = None
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    severity: tuple[tuple[str, str], ...] = ()
    rules: tuple[str, ...] = ()
    scoring: str | None = None
    min_score: int | None = None
    fail_on: str = "reject"
    model: str | None = None
    exclude: tuple[str, ...] = ()
    max_file_size: int = MAX_BYTES
    script_speakers: tuple[str, ...] = DEFAULT_SPEAKERS
    formats: tuple[tuple[str, str], ...] = ()
    csv_column: str | None = None
    csv_subject_column: str | None = None
    csv_id_column: str | None = None
    cadence: Cadence = field(default_factory=Cadence)
    markdown_fences: tuple[str, ...] = DEFAULT_FENCES
    language: str = "auto"
    origins: tuple[tuple[str, str, str], ...] = ()
    """``(key, item, where)``: where a setting (``item`` empty) or one value of a list
    setting came from: ``file:line:col`` of the configuration, or the command-line option."""
    warnings: tuple[str, ...] = ()
    """What the user should know about how this configuration was found (a file passed over)."""

    def digest(self) -> str:
        """A hash of every setting that changes results (part of result-cache keys)."""
        data = asdict(self)
        data.pop("path")
        if self.scoring:  # the table's content, not only its name, changes results
            try:
                data["scoring"] = hashlib.sha256(Path(self.scoring).read_bytes()).hexdigest()
            except OSError:
                pass
        data.pop("origins")
        data.pop("warnings")
        return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()

    # -- rule selection ----------------------------------------------------------------
    def selectors(self) -> tuple[tuple[str, ...] | None, tuple[str, ...]]:
        """``(select, ignore)`` for :meth:`~checkin_lint.rules.loader.RuleSet.select`."""
        keep = None if self.select is None else self.select + self.extend_select
        return keep, self.ignore

    def enabled(self, check_id: str) -> bool:
        """True when a rule or check id is selected and not ignored."""
        from checkin_lint.rules.loader import matches_selector

        keep, drop = self.selectors()
        if keep is not None and not any(matches_selector(check_id, s) for s in keep):
            return False
        return not any(matches_selector(check_id, s) for s in drop)

    def origin(self, key: str, item: str = "") -> str:
        """Where setting ``key`` (or its value ``item``) came from, or ``default``."""
        for k, i, where in self.origins:
            if k == key and i == item:
                return where
        if item:
            return self.origin(key)
        return "default"

    def settings(self) -> list[tuple[str, Any, str]]:
        """Every setting as ``(key, value, where it came from)``, in the configuration's
        spelling (``min-score``, ``csv.column``); ``default`` for a value nobody set."""
        rows: list[tuple[str, Any, str]] = []
        for name in SETTING_FIELDS:
            value = getattr(self, name)
            if name.startswith("csv_"):
                key = "csv." + name[4:].replace("_", "-")
                where = next((w for k, i, w in self.origins if k == key.replace(".", "-") and not i), None)
                where = where or next((w for k, i, w in self.origins if k == "csv" and not i), "default")
            else:
                key = name.replace("_", "-")
                where = next((w for k, i, w in self.origins if k == key and not i), "default")
            if isinstance(value, Cadence):
                value = {k.replace("_", "-"): v for k, v in asdict(value).items()}
            elif name in ("per_file_ignores", "severity", "formats"):
                value = {k: list(v) if isinstance(v, tuple) else v for k, v in value}
            elif isinstance(value, tuple):
                value = list(value)
            rows.append((key, value, where))
        return rows

    def selector_problems(self, ids: Iterable[str]) -> list[Problem]:
        """A problem for every rule selector (``select``, ``extend-select``, ``ignore``,
        ``per-file-ignores``, ``severity``) that names none of ``ids``, located where it was set."""
        from checkin_lint.rules.loader import selector_problem

        ids = list(ids)
        used = [(key, s) for key, values in (("select", self.select or ()), ("extend-select", self.extend_select),
                                             ("ignore", self.ignore)) for s in values]
        used += [("per-file-ignores", s) for _, rules in self.per_file_ignores for s in rules]
        used += [("severity", s) for s, _ in self.severity]
        problems = []
        for key, selector in used:
            problem = selector_problem(selector, ids)
            if problem is not None:
                where = self.origin(key, selector)
                problems.append(Problem(where, problem if where.startswith("--") else f"{key}: {problem}"))
        return problems

    def severity_for(self, rule_id: str) -> str | None:
        """The configured severity of a rule (the longest matching id or prefix wins)."""
        from checkin_lint.rules.loader import matches_selector

        hits = [(len(sel), sev) for sel, sev in self.severity if matches_selector(rule_id, sel)]
        return max(hits)[1] if hits else None

    # -- per-file settings -------------------------------------------------------------
    def relative(self, path: str) -> str | None:
        """``path`` relative to the configuration root (``None`` when outside it)."""
        try:
            return Path(os.path.abspath(path)).relative_to(os.path.abspath(self.root)).as_posix()
        except ValueError:
            return None

    def file_ignores(self, path: str) -> tuple[str, ...]:
        """Rules turned off for ``path`` by ``per-file-ignores``."""
        rel = self.relative(path) if self.per_file_ignores else None
        if rel is None:
            return ()
        return tuple(rule for pattern, rules in self.per_file_ignores if _spec((pattern,)).match_file(rel) for rule in rules)

    def input_format(self, path: str, override: str | None = None) -> str | None:
        """``override``, else the format a ``formats`` glob gives ``path``, else ``None``."""
        if override:
            return override
        rel = self.relative(path) if self.formats else None
        if rel is not None:
            for pattern, name in self.formats:
                if _spec((pattern,)).match_file(rel):
                    return name
        return None

    def cache_tag(self, path: str, override: str | None = None) -> str:
        """What besides its bytes and :meth:`digest` decides a file's results: its input
        format and its per-file ignores (part of result-cache keys). Raises
        :class:`~checkin_lint.errors.InputError` for an unknown input format."""
        name = format_for(path, self.input_format(path, override))
        ignored = self.file_ignores(path)
        return name + ("|ignore=" + ",".join(ignored) if ignored else "")

    def read_options(self) -> ReadOptions:
        """What the readers need from this configuration."""
        return ReadOptions(self.csv_column, self.csv_subject_column, self.csv_id_column,
                           self.script_speakers, self.max_file_size, self.markdown_fences)

    def excluded(self, path: str, base: str, *, folder: bool = False) -> bool:
        """True when ``path`` (found below the folder ``base``) matches an exclude glob. The
        built-in excludes (hidden and dependency folders) apply below ``base`` only, so a named
        folder that is or lies under a hidden folder (``.github/outreach``) is still linted."""
        below = Path(os.path.abspath(path)).relative_to(os.path.abspath(base)).as_posix()
        rel = self.relative(path)
        if rel is None:
            rel = below
        slash = "/" if folder else ""
        return _spec(DEFAULT_EXCLUDE).match_file(below + slash) or (
            bool(self.exclude) and _spec(self.exclude).match_file(rel + slash))


    def excluded_argument(self, path: str) -> bool:
        """True when a file named on the command line matches an exclude glob (or is hidden)."""
        rel = self.relative(path)
        if rel is None:
            try:
                rel = Path(os.path.abspath(path)).relative_to(os.getcwd()).as_posix()
            except ValueError:
                rel = Path(path).name
        if not self.exclude and _plainly_included(rel):
            return False  # no need to import pathspec for the usual file argument
        return _spec(DEFAULT_EXCLUDE + self.exclude).match_file(rel)


SETTING_FIELDS = ("select", "extend_select", "ignore", "per_file_ignores", "severity", "rules", "scoring", "min_score", "fail_on",
                  "model", "exclude", "max_file_size", "script_speakers", "formats", "csv_column", "csv_subject_column",
                  "csv_id_column", "cadence", "markdown_fences", "language")
"""The fields of :class:`Config` that are settings, in the order ``--show-settings`` lists them."""


def _plainly_included(rel: str) -> bool:
    """True when no pattern of :data:`DEFAULT_EXCLUDE` can match the relative path ``rel``:
    none of its parts is hidden (starts with a dot) or names a dependency folder, and it
    holds no backslash. Any other path is left to pathspec to decide."""
    return "\\" not in rel and not any(part.startswith(".") or part in DEFAULT_EXCLUDED_FOLDERS for part in rel.split("/"))


@lru_cache(maxsize=64)
def _spec(patterns: tuple[str, ...]) -> _Spec:
    """A compiled gitignore-style matcher for ``patterns``."""
    import pathspec

    return _Spec(pathspec.GitIgnoreSpec.from_lines(patterns))


@dataclass(frozen=True)
class _Spec:
    """A gitignore-style matcher that takes any file name: one that is not valid UTF-8 (held
    with surrogates) is matched with its bad bytes replaced, instead of failing."""

    spec: Any

    def match_file(self, path: str) -> bool:
        return bool(self.spec.match_file(path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")))


def _glob_problem(glob: str) -> str | None:
    """Why ``glob`` is not a valid gitignore-style pattern, or ``None``."""
    try:
        _spec((glob,))
    except Exception as exc:  # noqa: BLE001 - pathspec raises several types for a bad pattern
        return f"invalid glob {glob!r}: {' '.join(str(exc).split())[:100]}"
    return None


# -- finding and reading ------------------------------------------------------------------

def find_config(start: str | os.PathLike[str]) -> Path | None:
    """The nearest configuration file in ``start`` or a folder above it that this user can
    trust (see :func:`untrusted_config`); an untrusted one is skipped with a notice on
    standard error."""
    folder = Path(os.path.abspath(start))
    if folder.is_file() or not folder.exists():
        folder = folder.parent
    for directory in (folder, *folder.parents):
        candidates = [directory / name for name in CONFIG_NAMES]
        pyproject = directory / PYPROJECT
        for path in candidates + [pyproject]:
            if not path.is_file() or (path == pyproject and not _has_tool_table(path)):
                continue
            reason = untrusted_config(path)
            if reason is None:
                return path
            sys.stderr.write(f"notice: ignored configuration {path}: {reason}\n")
    return None


def untrusted_config(path: Path) -> str | None:
    """Why a configuration file found by walking up must not be used, or ``None``: it belongs
    to another user (not this one, not root), or its folder can be written by other users
    without the sticky bit (anyone could put it there). Like git's ``safe.directory``, this
    keeps a file planted in a shared parent folder (``/tmp``) from turning rules off. A file
    named with ``--config`` is always used."""
    try:
        info, parent = path.stat(), path.parent.stat()
    except OSError:
        return None
    uid = os.geteuid() if hasattr(os, "geteuid") else None
    if uid is not None and info.st_uid not in (uid, 0):
        return "it belongs to another user"
    if parent.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and not parent.st_mode & stat.S_ISVTX:
        return "its folder can be written by other users"
    if uid is not None and parent.st_mode & stat.S_ISVTX and parent.st_mode & stat.S_IWOTH and info.st_uid != uid:
        return "it belongs to another user in a shared folder"
    return None


def passed_over(found: Path) -> list[Path]:
    """Configuration files in the folder of ``found`` that are not used because ``found`` wins
    (``.checkin-lint.yaml`` over ``.checkin-lint.yml`` over ``[tool.checkin-lint]`` in
    ``pyproject.toml``)."""
    folder = found.parent
    others = [folder / name for name in CONFIG_NAMES if (folder / name).is_file()]
    pyproject = folder / PYPROJECT
    if pyproject.is_file() and _has_tool_table(pyproject):
        others.append(pyproject)
    return [p for p in others if p.name != found.name]


def _has_tool_table(path: Path) -> bool:
    import tomllib  # here and below: a run without a pyproject.toml does not need it

    try:
        return TOOL in tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return True  # let load_config report what is wrong with it


def start_folder(paths: Iterable[str]) -> str:
    """The folder configuration discovery starts from: the linted files' common folder."""
    real = [os.path.abspath(p) for p in paths if p != "-"]
    if not real:
        return os.getcwd()
    common = os.path.commonpath(real)
    return common if os.path.isdir(common) else os.path.dirname(common)


def load_config(path: str | os.PathLike[str], *, _extending: tuple[Path, ...] = ()) -> Config:
    """Read and validate a configuration file, and the file it names in ``extend`` (its settings
    first, this file's on top, key by key). Raises :class:`ConfigError` listing every problem."""
    path = Path(path)
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([Problem(shown, f"cannot read configuration: {getattr(exc, 'strerror', None) or exc}")]) from None
    if path.name == PYPROJECT or path.suffix == ".toml":
        import tomllib

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError([Problem(shown, f"invalid TOML: {exc}")]) from None
        table = data.get("tool", {}).get(TOOL) if path.name == PYPROJECT else data
        if table is None:
            raise ConfigError([Problem(shown, f"no [tool.{TOOL}] table")])
        where = _toml_where(text)
        prefix = f"tool.{TOOL}." if path.name == PYPROJECT else ""
    else:
        from checkin_lint.rules.yamlsource import YamlSyntaxError, load_located  # only for a YAML file

        try:
            located = load_located(text)
        except YamlSyntaxError as exc:
            raise ConfigError([Problem(shown, f"invalid YAML: {exc}", exc.line, exc.column)]) from None
        table = located.data if located.data is not None else {}
        where = located.where
        prefix = ""
    problems: list[Problem] = []
    base = None
    if isinstance(table, dict) and "extend" in table:
        extend = table["extend"]
        target = Path(os.path.abspath(path.parent / extend)) if isinstance(extend, str) and extend.strip() else None
        if target is None:
            problems.append(Problem(shown, f"{prefix}extend: must be the path of another configuration file", *where(("extend",))))
        elif target in _extending or target == Path(os.path.abspath(path)):
            problems.append(Problem(shown, f"{prefix}extend: {extend!r} extends this file again (a cycle)", *where(("extend",))))
        elif not target.is_file():
            problems.append(Problem(shown, f"{prefix}extend: no such file {extend!r}", *where(("extend",))))
        else:
            base = load_config(target, _extending=_extending + (Path(os.path.abspath(path)),))
    config = _validate(table, str(path.parent), lambda p, m: problems.append(
        Problem(shown, f"{prefix}{'.'.join(map(str, p))}: {m}" if p else m, *where(p))), base=base)
    if problems:
        raise ConfigError(problems)
    origins = [o for o in base.origins if o[0] not in table] if base else []
    for key, value in table.items():
        origins.append((str(key), "", _where(shown, where((key,)))))
        if key in ("per-file-ignores", "severity") and isinstance(value, dict):
            origins += [(str(key), str(sub), _where(shown, where((key, sub)))) for sub in value]
            origins += [(str(key), str(rule), _where(shown, where((key, sub)))) for sub, rules in value.items()
                        if key == "per-file-ignores" and isinstance(rules, list) for rule in rules]
    return replace(config, path=shown, origins=tuple(origins))


def _where(path: str, position: tuple[int, int] | tuple[None, None]) -> str:
    line, column = position
    return f"{path}:{line}:{column}" if line is not None else path


def _toml_where(text: str) -> Callable[[PathT], tuple[int, int] | tuple[None, None]]:
    """Line of a key in a TOML file, found by its name (tomllib keeps no positions)."""
    lines = text.splitlines()

    def where(path: PathT) -> tuple[int, int] | tuple[None, None]:
        if not path:
            return None, None
        name = re.escape(str(path[-1]))
        pattern = re.compile(rf"^\s*(?:\"{name}\"|'{name}'|{name})\s*=")
        header = re.compile(rf"^\s*\[.*\b{name}\]\s*$")
        for number, line in enumerate(lines, 1):
            if pattern.match(line) or header.match(line):
                return number, 1
        return None, None

    return where


# -- validation ---------------------------------------------------------------------------

KEYS = ("extend", "select", "extend-select", "ignore", "per-file-ignores", "severity", "rules", "scoring", "min-score", "fail-on",
        "model", "exclude", "max-file-size", "script-speakers", "formats", "csv", "cadence", "markdown-fences",
        "language")
CSV_KEYS = ("column", "subject-column", "id-column")
CADENCE_KEYS = ("min-gap-days", "checkup-min-days", "checkup-max-days")

Report = Callable[[PathT, str], None]


def _unknown(table: dict[str, Any], allowed: tuple[str, ...], base: PathT, report: Report) -> None:
    for key in table:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f" (known: {', '.join(allowed)})"
            report(base + (key,), f"unknown key{hint}")


def _strings(value: Any, key: PathT, report: Report) -> tuple[str, ...] | None:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        report(key, "must be a list of strings")
        return None
    return tuple(v.strip() for v in value)


def _int(value: Any, key: PathT, report: Report, low: int, high: int | None = None) -> int | None:
    if not isinstance(value, int) or isinstance(value, bool) or value < low or (high is not None and value > high):
        report(key, f"must be a whole number {'from ' + str(low) + ' to ' + str(high) if high is not None else str(low) + ' or more'}")
        return None
    return value


def _table(value: Any, key: PathT, report: Report) -> dict[str, Any]:
    if not isinstance(value, dict):
        report(key, "must be a table (a mapping)")
        return {}
    return value


def _validate(table: Any, root: str, report: Report, base: Config | None = None) -> Config:
    if not isinstance(table, dict):
        report((), "the configuration must be a mapping of keys such as select, ignore, min-score")
        return Config(root=root)
    _unknown(table, KEYS, (), report)
    values: dict[str, Any] = {"root": root}
    for key in ("select", "extend-select", "ignore", "exclude", "script-speakers"):
        if key in table:
            got = _strings(table[key], (key,), report)
            if got is not None:
                values[key.replace("-", "_")] = tuple(s.lower() for s in got) if key == "script-speakers" else got
                for glob in got if key == "exclude" else ():
                    if (problem := _glob_problem(glob)) is not None:
                        report((key,), problem)
    if "rules" in table:
        dirs = _strings(table["rules"], ("rules",), report)
        if dirs is not None:
            values["rules"] = tuple(os.path.join(root, d) for d in dirs)
    if "scoring" in table:
        if isinstance(table["scoring"], str) and table["scoring"].strip():
            values["scoring"] = os.path.join(root, table["scoring"])
        else:
            report(("scoring",), "must be the path of a scoring table (see checkin-lint calibrate)")
    if "markdown-fences" in table:
        fences = table["markdown-fences"]
        if isinstance(fences, list) and all(isinstance(f, str) for f in fences):
            values["markdown_fences"] = tuple(f.strip().lower() for f in fences)
        else:
            report(("markdown-fences",), 'must be a list of fenced-block languages ("" for a block without one)')
    if "language" in table:
        if table["language"] in LANGUAGES:
            values["language"] = table["language"]
        else:
            report(("language",), f"must be one of {', '.join(LANGUAGES)}, not {table['language']!r}")
    if "min-score" in table:
        values["min_score"] = _int(table["min-score"], ("min-score",), report, 0, 100)
    if "max-file-size" in table:
        values["max_file_size"] = _int(table["max-file-size"], ("max-file-size",), report, 1) or MAX_BYTES
    if "fail-on" in table:
        if table["fail-on"] in FAIL_LEVELS:
            values["fail_on"] = table["fail-on"]
        else:
            report(("fail-on",), f"must be one of {', '.join(FAIL_LEVELS)}, not {table['fail-on']!r}")
    if "model" in table:
        if isinstance(table["model"], str) and table["model"].strip():
            values["model"] = table["model"].strip()
        else:
            report(("model",), "must be a package name or a path")
    if "per-file-ignores" in table:
        pfi = []
        for glob, rules in _table(table["per-file-ignores"], ("per-file-ignores",), report).items():
            got = _strings(rules, ("per-file-ignores", glob), report)
            if (problem := _glob_problem(str(glob))) is not None:
                report(("per-file-ignores", glob), problem)
            elif got is not None:
                pfi.append((str(glob), got))
        values["per_file_ignores"] = tuple(pfi)
    if "severity" in table:
        sev = []
        for rule, level in _table(table["severity"], ("severity",), report).items():
            if level in SEVERITIES:
                sev.append((str(rule), level))
            else:
                report(("severity", rule), f"must be one of {', '.join(SEVERITIES)}, not {level!r}")
        values["severity"] = tuple(sev)
    if "formats" in table:
        fmts = []
        for glob, name in _table(table["formats"], ("formats",), report).items():
            if (problem := _glob_problem(str(glob))) is not None:
                report(("formats", glob), problem)
            elif isinstance(name, str) and name in READERS:
                fmts.append((str(glob), name))
            else:
                report(("formats", glob), f"unknown input format {name!r} (known: {', '.join(READERS)})")
        values["formats"] = tuple(fmts)
    if "csv" in table:
        csv_table = _table(table["csv"], ("csv",), report)
        _unknown(csv_table, CSV_KEYS, ("csv",), report)
        for key in CSV_KEYS:
            if key in csv_table:
                if isinstance(csv_table[key], str) and csv_table[key].strip():
                    values["csv_" + key.replace("-", "_")] = csv_table[key]
                else:
                    report(("csv", key), "must be a column name")
    if "cadence" in table:
        cad = _table(table["cadence"], ("cadence",), report)
        _unknown(cad, CADENCE_KEYS, ("cadence",), report)
        got = {k.replace("-", "_"): _int(cad[k], ("cadence", k), report, 0) for k in CADENCE_KEYS if k in cad}
        cadence = replace(Cadence(), **{k: v for k, v in got.items() if v is not None})
        if cadence.checkup_min_days > cadence.checkup_max_days:
            report(("cadence", "checkup-min-days"), "must not be more than checkup-max-days")
        values["cadence"] = cadence
    values = {k: v for k, v in values.items() if v is not None}
    return replace(base, **values) if base else Config(**values)


# -- resolving a run ----------------------------------------------------------------------

def resolve(paths: Iterable[str], *, config_file: str | None = None, **options: Any) -> Config:
    """The configuration of a run: the configuration file (named, or found from ``paths``)
    with the command-line ``options`` applied on top (the keyword arguments of
    :func:`_with_options`: ``select``, ``ignore``, ``rule_dirs``, ``min_score`` ...); an
    unknown option raises ``TypeError``."""
    found = Path(config_file) if config_file else find_config(start_folder(paths))
    return _with_options(found, **options)


def _load_found(found: Path | None) -> Config:
    if found is None:
        return Config(root=os.getcwd())
    config = load_config(found)
    others = passed_over(found) if found.name in CONFIG_NAMES or found.name == PYPROJECT else []
    if others:
        names = " and ".join(p.name for p in others)
        config = replace(config, warnings=(f"{found.parent}: using {found.name}; {names} in the same folder "
                                           f"{'is' if len(others) == 1 else 'are'} not read (keep one configuration per folder)",))
    return config


def _with_options(
    found: Path | None,
    *,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    rule_dirs: Iterable[str] = (),
    min_score: int | None = None,
    fail_on: str | None = None,
    model: str | None = None,
    column: str | None = None,
    subject_column: str | None = None,
    id_column: str | None = None,
    extend_exclude: Iterable[str] = (),
    language: str | None = None,
) -> Config:
    """The configuration in ``found`` (defaults when ``None``) with the command-line options on top."""
    config = _load_found(found)
    changes: dict[str, Any] = {}
    origins = list(config.origins)
    select, ignore, rule_dirs = tuple(select), tuple(ignore), tuple(rule_dirs)
    if select:
        changes["select"], changes["extend_select"] = select, ()
        origins += [("select", "", "--select")] + [("select", s, "--select") for s in select]
    changes["ignore"] = config.ignore + ignore
    origins += [("ignore", s, "--ignore") for s in ignore]
    changes["rules"] = config.rules + rule_dirs
    origins += [("rules", d, "--rules") for d in rule_dirs]
    extend_exclude = tuple(extend_exclude)
    changes["exclude"] = config.exclude + extend_exclude
    origins += [("exclude", g, "--extend-exclude") for g in extend_exclude]
    for name, value in (("min_score", min_score), ("fail_on", fail_on), ("model", model), ("csv_column", column),
                        ("csv_subject_column", subject_column), ("csv_id_column", id_column), ("language", language)):
        if value is not None:
            changes[name] = value
            option = {"csv_column": "--column", "csv_subject_column": "--subject-column", "csv_id_column": "--id-column"}
            origins.append((name.replace("_", "-"), "", option.get(name, "--" + name.replace("_", "-"))))
    return replace(config, origins=tuple(origins), **changes)


class Resolver:
    """The configuration of each linted file: the closest ``.checkin-lint.yaml`` or
    ``pyproject.toml`` above it (or ``--config`` for every file), with the command-line
    options on top. Each configuration file is read once."""

    def __init__(self, config_file: str | None = None, **options: Any) -> None:
        """``options`` are the keyword arguments of :func:`resolve` besides ``config_file``."""
        self.config_file = config_file
        self.options = options
        self._folders: dict[str, Path | None] = {}
        self._configs: dict[Path | None, Config] = {}

    def found(self, path: str) -> Path | None:
        """The configuration file that applies to ``path`` (``-`` is the current folder)."""
        if self.config_file:
            return Path(self.config_file)
        folder = os.getcwd() if path == "-" else os.path.dirname(os.path.abspath(path))
        if folder not in self._folders:
            self._folders[folder] = find_config(folder)
        return self._folders[folder]

    def for_path(self, path: str) -> Config:
        """The configuration of ``path``. Raises :class:`ConfigError`."""
        found = self.found(path)
        if found not in self._configs:
            self._configs[found] = _with_options(found, **self.options)
        return self._configs[found]

    def warnings(self) -> tuple[str, ...]:
        """The warnings of every configuration read so far."""
        return tuple(w for config in self._configs.values() for w in config.warnings)

    def groups(self, paths: Iterable[str]) -> list[tuple[Config, list[int]]]:
        """``paths`` grouped by configuration: ``(config, indices into paths)``, in order of first use."""
        groups: dict[Path | None, tuple[Config, list[int]]] = {}
        for index, path in enumerate(paths):
            config = self.for_path(path)
            groups.setdefault(self.found(path), (config, []))[1].append(index)
        return list(groups.values())


def build_ruleset(config: Config) -> RuleSet:
    """The rules of a run: built-in plus ``rules`` directories, with ``severity`` overrides,
    restricted by ``select``/``extend-select``/``ignore``. Raises :class:`ConfigError` when a
    selector names no rule or built-in check (a typo must not switch the linter off)."""
    from checkin_lint.checks import CHECKS
    from checkin_lint.rules.loader import load_rules

    ruleset = load_rules(config.rules, scoring=config.scoring)
    problems = config.selector_problems([r.id for r in ruleset.rules] + list(CHECKS))
    if problems:
        raise ConfigError(problems)
    if config.severity:
        rules = tuple(replace(r, severity=config.severity_for(r.id) or r.severity) for r in ruleset.rules)
        digest = hashlib.sha256((ruleset.fingerprint + repr(config.severity)).encode()).hexdigest()
        ruleset = replace(ruleset, rules=rules, fingerprint=digest)
    keep, drop = config.selectors()
    return ruleset.select(keep, drop)


def _regular_inside(path: str, folder: str) -> bool:
    """True when ``path`` is a regular file (after symbolic links) that lies in ``folder``
    (a real path): folder expansion never reads a FIFO, a device or a socket, nor follows a
    link out of the folder it was given."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False
    except OSError:
        return True  # a broken link: reading it reports the problem
    real = os.path.realpath(path)
    return os.path.commonpath([real, folder]) == folder


def expand_paths(paths: Iterable[str], config: Config, *, force_exclude: bool = True,
                 config_for: Callable[[str], Config] | None = None,
                 skipped: list[str] | None = None) -> tuple[list[str], list[Problem]]:
    """Files to lint: each file argument as given, each folder expanded to the files in it
    that a reader knows (by suffix or ``formats``), skipping ``exclude`` globs and hidden
    files; a folder with no such file is a problem. With ``force_exclude`` a file argument
    that matches an exclude glob (relative to the configuration's folder, or else to the
    current folder, or else by its name) is left out too, as ruff's ``--force-exclude`` does.
    ``config_for`` gives the configuration whose ``exclude`` applies to a path (default: ``config``).
    ``skipped``, when given, receives the paths inside folders that were left out because they
    are not regular files there (a FIFO, a device, a socket, a link out of the folder)."""
    at = config_for or (lambda _: config)
    files: list[str] = []
    problems: list[Problem] = []
    suffixes = tuple(EXTENSIONS)
    for arg in paths:
        if arg == "-" or not os.path.isdir(arg):
            if not (force_exclude and arg != "-" and at(arg).excluded_argument(arg)):
                files.append(arg)
            continue
        found = []
        inside = os.path.realpath(arg)
        for folder, dirs, names in os.walk(arg):  # symbolic links to folders are not followed
            dirs[:] = sorted(d for d in dirs if not at(os.path.join(folder, d)).excluded(os.path.join(folder, d), arg, folder=True))
            for name in sorted(names):
                path = os.path.join(folder, name)
                known = name.lower().endswith(suffixes) or at(path).input_format(path) is not None
                if known and not at(path).excluded(path, arg):
                    if _regular_inside(path, inside):
                        found.append(path)
                    elif skipped is not None:
                        skipped.append(path)
        if not found:
            problems.append(Problem(arg, "no files to lint in this folder (known suffixes: " + " ".join(sorted(suffixes)) + ")"))
        files.extend(found)
    return files, problems

