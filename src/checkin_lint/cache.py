"""The result cache: a file whose bytes were linted before with the same tool, rules and
settings is not linted again.

An entry is the path-independent report of one file (:func:`~checkin_lint.report.record.file_payload`),
stored under a key that hashes together

* the tool: its version and the text of its own Python modules (so an upgrade, or a change in
  a development checkout, never serves stale results),
* the rule set (:attr:`~checkin_lint.rules.ruleset.RuleSet.fingerprint`, which covers every rule
  file's bytes and the ``--select``/``--ignore`` choice),
* the settings that change results (minimum score, input format ...),
* the input format the file is read as, and the file's bytes.

The validated rule set is cached the same way (:func:`cached_ruleset`), keyed by the bytes of
every rule file. Entries live in the user's cache directory (``platformdirs``), or
``--cache-dir`` / ``CHECKIN_LINT_CACHE_DIR``. Each is written atomically and carries a
SHA-256 of its content: an entry that is truncated, corrupted or half-written by a concurrent
run fails the check and is ignored (then overwritten), never trusted. Entries are JSON data
(result entries and the rule set alike): loading one can build nothing but dicts, lists,
strings and numbers, never run code, and an entry whose content does not have the expected
shape is ignored like a damaged one. Only regular files are read, and at most
:data:`MAX_ENTRY_BYTES` of them. A cache folder that other users can write to (or that another
user owns) is not used at all, as git's ``safe.directory`` and ssh refuse such folders: a run
says so once and goes on without a cache. Reading the cache imports nothing heavy, so a fully
cached run never loads spaCy.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Literal, overload

from checkin_lint import __version__
from checkin_lint.atomic import write_atomic

if TYPE_CHECKING:
    from checkin_lint.rules.ruleset import RuleSet

ENV_DIR = "CHECKIN_LINT_CACHE_DIR"
"""Environment variable naming the cache directory (``--cache-dir`` wins over it)."""
FORMAT_VERSION = 3
"""Version of the entry layout; part of every key and of the directory name."""
_MAGIC = b"checkin-lint-cache"
MAX_ENTRY_BYTES = 64_000_000
"""Largest cache entry read; anything bigger is ignored like a damaged entry."""


def default_cache_dir() -> Path:
    """The user's cache directory for checkin-lint (for example ``~/.cache/checkin-lint``)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("checkin-lint", appauthor=False))


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the tool's version and the text of its Python modules (found with
    :func:`os.walk`, a few times faster than ``rglob``: every run that writes a result pays it)."""
    package = os.path.dirname(os.path.realpath(__file__))
    found = []
    for folder, _, names in os.walk(package):
        found += [(os.path.relpath(os.path.join(folder, n), package).replace(os.sep, "/"), os.path.join(folder, n))
                  for n in names if n.endswith(".py")]
    digest = hashlib.sha256(f"{__version__}|{FORMAT_VERSION}".encode())
    for rel, path in sorted(found):
        with open(path, "rb") as handle:
            digest.update(rel.encode() + b"\0" + handle.read())
    return digest.hexdigest()


@dataclass(frozen=True)
class ResultCache:
    """File reports by content key, under ``directory``. Safe to share between processes."""

    directory: Path
    salt: str

    @classmethod
    def open(cls, directory: str | Path | None, *, rules_fingerprint: str, settings: dict[str, Any]) -> ResultCache:
        """A cache for one configuration: ``rules_fingerprint`` and ``settings`` go into every key."""
        root = Path(directory) if directory else default_cache_dir()
        material = json.dumps([code_fingerprint(), sys.version_info[:2], rules_fingerprint, settings], sort_keys=True,
                              default=str)
        return cls(root / f"v{FORMAT_VERSION}", hashlib.sha256(material.encode()).hexdigest())

    def key(self, raw: bytes, input_format: str) -> str:
        """The key of a file's bytes read as ``input_format``."""
        digest = self._digest(input_format)
        digest.update(raw)
        return digest.hexdigest()

    def file_key(self, path: str, input_format: str) -> str:
        """:meth:`key` of the bytes of the file at ``path``, read a MiB at a time instead of
        whole. Raises :class:`OSError` when it cannot be read."""
        digest = self._digest(input_format)
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
        return digest.hexdigest()

    def _digest(self, input_format: str) -> hashlib._Hash:
        return hashlib.sha256(self.salt.encode() + b"\0" + input_format.encode() + b"\0")

    def _path(self, key: str) -> str:
        return os.path.join(self.directory, key[:2], key[2:] + ".entry")  # os.path: thousands per run

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored payload, or ``None`` when absent, unreadable, failing its checksum or not
        shaped like a file report (:func:`~checkin_lint.report.record.file_payload`)."""
        if untrusted_reason(self.directory.parent) is not None:
            return None
        body = read_entry(self._path(key), key)
        if body is None:
            return None
        try:
            payload = json.loads(body)
        except (ValueError, RecursionError):
            return None
        return payload if _is_file_payload(payload) else None

    def put(self, key: str, payload: dict[str, Any]) -> None:
        """Store ``payload`` atomically. A cache that cannot be written is silently skipped:
        it only costs speed."""
        if untrusted_reason(self.directory.parent) is None:
            write_entry(self._path(key), key, json.dumps(payload, separators=(",", ":")).encode("utf-8", "surrogatepass"))


def _is_file_payload(payload: Any) -> bool:
    """True when ``payload`` rebuilds into a file report whose every field reads back."""
    from checkin_lint.report.record import file_from_payload
    from checkin_lint.scoring import VERDICT_RANK

    try:
        report = file_from_payload("", payload)
        for m in report.messages:
            if m.verdict not in VERDICT_RANK or not all(isinstance(x, (int, str)) for edit in m.fixes for x in edit):
                return False
            _ = (m.label, m.line, m.channel, m.score, m.reasons, m.findings, m.contributions, m.rewrite.text)
        return all(isinstance(t, str) for t in payload.get("timed_out", ()))
    except Exception:  # noqa: BLE001 - any other shape is a damaged entry
        return False


def untrusted_reason(root: Path) -> str | None:
    """Why the cache folder ``root`` must not be used (writable by other users, or owned by
    another user than this one or root), or ``None`` when it is safe or does not exist yet.
    The reason is printed once per run on standard error."""
    reason = _untrusted(str(root))
    if reason is not None and reason not in _WARNED:
        _WARNED.add(reason)
        sys.stderr.write(f"notice: {reason}\n")
    return reason


_WARNED: set[str] = set()


def _owned(info: os.stat_result) -> bool:
    """True for a file or folder of this user (or root) that no other user can write: an
    entry someone else planted, even in a folder that lets them, is never read."""
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return False
    return not hasattr(os, "geteuid") or info.st_uid in (os.geteuid(), 0)


@lru_cache(maxsize=16)
def _untrusted(root: str) -> str | None:
    try:
        info = os.stat(root)
    except OSError:
        return None
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return f"cache folder {root} is writable by other users: not used (use --cache-dir with a folder of your own)"
    if hasattr(os, "geteuid") and info.st_uid not in (os.geteuid(), 0):
        return f"cache folder {root} belongs to another user: not used (use --cache-dir with a folder of your own)"
    return None


@overload
def read_entry(path: str | Path, key: str, *, view: Literal[False] = False) -> bytes | None: ...
@overload
def read_entry(path: str | Path, key: str, *, view: Literal[True]) -> memoryview | None: ...


def read_entry(path: str | Path, key: str, *, view: bool = False) -> bytes | memoryview | None:
    """The body of the entry at ``path`` if it is a regular file no larger than
    :data:`MAX_ENTRY_BYTES`, was stored under ``key`` and matches its checksum, else ``None``.
    With ``view`` the body is a view into the bytes read, not a copy (for entries of
    megabytes, such as the prefilter's database)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO must not block the run
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or not _owned(info) or not _owned(os.stat(os.path.dirname(path) or ".")):
                return None
            blob = handle.read(MAX_ENTRY_BYTES + 1)
    except OSError:
        return None
    if len(blob) > MAX_ENTRY_BYTES:
        return None
    end = blob.find(b"\n", 0, 512)
    parts = blob[:end].split(b" ")
    if end < 0 or len(parts) != 3 or parts[0] != _MAGIC or parts[1] != key.encode():
        return None
    body = memoryview(blob)[end + 1:]
    if hashlib.sha256(body).hexdigest().encode() != parts[2]:
        return None
    return body if view else bytes(body)


def entry_bytes(key: str, body: bytes) -> bytes:
    """``body`` as an entry stored under ``key``, with its checksum (see :func:`read_entry`)."""
    return b" ".join((_MAGIC, key.encode(), hashlib.sha256(body).hexdigest().encode())) + b"\n" + body


def write_entry(path: str | Path, key: str, body: bytes) -> None:
    """Store ``body`` under ``key`` at ``path`` with its checksum, atomically; skipped silently
    when the cache cannot be written."""
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write_atomic(path, entry_bytes(key, body), durable=False, keep_mode=False)
    except OSError:
        return


def cached_ruleset(
    rule_dirs: Iterable[str | Path],
    build: Callable[[], RuleSet],
    *,
    extra: str = "",
    directory: str | Path | None = None,
) -> RuleSet:
    """The rule set ``build()`` returns, from the cache when no rule file has changed.

    Loading validates every rule file (each pattern and regex compiled once), which is most
    of the start-up time of ``rules`` and of a fully cached ``lint``. The key covers the tool
    (:func:`code_fingerprint`), ``extra`` (whatever else ``build`` depends on, such as the
    configuration) and the name and bytes of every rule file under the built-in rules
    directory and ``rule_dirs``. An invalid rule set raises from ``build()`` and is never
    stored.
    """
    from checkin_lint.rules import RULE_SUFFIXES, builtin_rules_dir

    digest = hashlib.sha256(f"{code_fingerprint()}|{extra}".encode())
    for folder in (builtin_rules_dir(), *(Path(d) for d in rule_dirs)):
        digest.update(b"\0dir\0" + str(folder).encode())
        if folder.is_dir():
            for path in sorted(p for p in folder.rglob("*") if p.suffix in RULE_SUFFIXES and p.is_file()):
                digest.update(b"\0" + path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    key = digest.hexdigest()
    root = Path(directory) if directory else Path(os.environ.get(ENV_DIR) or default_cache_dir())
    if untrusted_reason(root) is not None:
        return build()
    path = root / f"v{FORMAT_VERSION}" / "rules" / f"{key}.json"
    body = read_entry(path, key)
    if body is not None:
        try:
            return ruleset_from_data(json.loads(body))
        except Exception:  # noqa: BLE001 - an entry of another shape: rebuild it
            pass
    ruleset = build()
    write_entry(path, key, json.dumps(ruleset_to_data(ruleset), separators=(",", ":")).encode())
    return ruleset


def ruleset_to_data(ruleset: RuleSet) -> dict[str, Any]:
    """A rule set as JSON data (see :func:`ruleset_from_data`)."""
    from dataclasses import asdict

    return {"rules": [asdict(r) for r in ruleset.rules], "families": {k: asdict(f) for k, f in ruleset.families.items()},
            "fingerprint": ruleset.fingerprint, "supersets": ruleset.supersets, "scoring": asdict(ruleset.scoring)}


def ruleset_from_data(data: dict[str, Any]) -> RuleSet:
    """The rule set :func:`ruleset_to_data` stored. Every field is rebuilt by its own type;
    data of any other shape raises (``KeyError``, ``TypeError`` ...)."""
    from checkin_lint.rules.ruleset import RuleSet
    from checkin_lint.rules.model import Family, Fix, Patterns, Rule
    from checkin_lint.scoring import Scoring

    def tuples(value: Any) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise TypeError("expected a list")
        return tuple(value)

    def rule(d: dict[str, Any]) -> Rule:
        p = d["patterns"]
        patterns = Patterns(tuples(p["phrases"]), tuples(p["tokens"]), tuples(p["regex"]), tuples(p["model"]), tuples(p["unless"]))
        names = {f.name for f in fields(Rule)}
        if set(d) != names:
            raise KeyError("rule fields")
        return Rule(**{**d, "patterns": patterns, "fix": Fix(**d["fix"]) if d["fix"] is not None else None,
                       "examples_match": tuples(d["examples_match"]), "examples_no_match": tuples(d["examples_no_match"]),
                       "examples_fixed": tuple(tuple(pair) for pair in d["examples_fixed"])})

    families = {k: Family(**{**f, "fields": tuples(f["fields"]), "not_fields": tuples(f["not_fields"]),
                                      "not_after": tuples(f["not_after"])})
                for k, f in data["families"].items()}
    supersets = {k: None if v is None else tuples(v) for k, v in data["supersets"].items()}
    scoring = data["scoring"]
    if set(scoring) != {f.name for f in fields(Scoring)}:
        raise KeyError("scoring fields")
    return RuleSet(tuple(rule(r) for r in data["rules"]), families, str(data["fingerprint"]), scoring=Scoring(**scoring),
                   supersets=supersets)
