"""The result cache: a file whose bytes were linted before with the same tool, rules and
settings is not linted again.

An entry is the path-independent report of one file (:func:`~checkin_lint.report.record.file_payload`),
stored under a key that hashes together

* the tool: its version and the text of its own Python modules (so an upgrade, or a change in
  a development checkout, never serves stale results),
* the rule set (:attr:`~checkin_lint.rules.loader.RuleSet.fingerprint`, which covers every rule
  file's bytes and the ``--select``/``--ignore`` choice),
* the settings that change results (minimum score, input format ...),
* the input format the file is read as, and the file's bytes.

The validated rule set is cached the same way (:func:`cached_ruleset`), keyed by the bytes of
every rule file. Entries live in the user's cache directory (``platformdirs``), or
``--cache-dir`` / ``CHECKIN_LINT_CACHE_DIR``. Each is written atomically and carries a
SHA-256 of its content: an entry that is truncated, corrupted or half-written by a concurrent
run fails the check and is ignored (then overwritten), never trusted. Result entries are
:mod:`marshal` data (plain dicts, lists and strings: several times faster to load than JSON,
and loading builds no objects but those), keyed per Python version since the format may
change between versions. Reading the cache imports nothing heavy, so a fully cached run never
loads spaCy.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from checkin_lint import __version__
from checkin_lint.atomic import write_atomic

if TYPE_CHECKING:
    from checkin_lint.rules.loader import RuleSet

ENV_DIR = "CHECKIN_LINT_CACHE_DIR"
"""Environment variable naming the cache directory (``--cache-dir`` wins over it)."""
FORMAT_VERSION = 2
"""Version of the entry layout; part of every key and of the directory name."""
_MAGIC = b"checkin-lint-cache"


def default_cache_dir() -> Path:
    """The user's cache directory for checkin-lint (for example ``~/.cache/checkin-lint``)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("checkin-lint", appauthor=False))


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the tool's version and the text of its Python modules."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"{__version__}|{FORMAT_VERSION}".encode())
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
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
        digest = hashlib.sha256(self.salt.encode() + b"\0" + input_format.encode() + b"\0")
        digest.update(raw)
        return digest.hexdigest()

    def _path(self, key: str) -> str:
        return os.path.join(self.directory, key[:2], key[2:] + ".entry")  # os.path: thousands per run

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored payload, or ``None`` when absent, unreadable or failing its checksum."""
        body = read_entry(self._path(key), key)
        if body is None:
            return None
        try:
            payload = marshal.loads(body)
        except (EOFError, ValueError, TypeError):
            return None
        return payload if isinstance(payload, dict) else None

    def put(self, key: str, payload: dict[str, Any]) -> None:
        """Store ``payload`` atomically. A cache that cannot be written is silently skipped:
        it only costs speed."""
        write_entry(self._path(key), key, marshal.dumps(payload))


def read_entry(path: str | Path, key: str) -> bytes | None:
    """The body of the entry at ``path`` if it was stored under ``key`` and matches its
    checksum, else ``None``."""
    try:
        with open(path, "rb") as handle:
            blob = handle.read()
    except OSError:
        return None
    header, _, body = blob.partition(b"\n")
    parts = header.split(b" ")
    if len(parts) != 3 or parts[0] != _MAGIC or parts[1] != key.encode():
        return None
    if hashlib.sha256(body).hexdigest().encode() != parts[2]:
        return None
    return body


def write_entry(path: str | Path, key: str, body: bytes) -> None:
    """Store ``body`` under ``key`` at ``path`` with its checksum, atomically; skipped silently
    when the cache cannot be written."""
    header = b" ".join((_MAGIC, key.encode(), hashlib.sha256(body).hexdigest().encode()))
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write_atomic(path, header + b"\n" + body, durable=False, keep_mode=False)
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
    import pickle

    from checkin_lint.rules import RULE_SUFFIXES, builtin_rules_dir

    digest = hashlib.sha256(f"{code_fingerprint()}|{extra}".encode())
    for folder in (builtin_rules_dir(), *(Path(d) for d in rule_dirs)):
        digest.update(b"\0dir\0" + str(folder).encode())
        if folder.is_dir():
            for path in sorted(p for p in folder.rglob("*") if p.suffix in RULE_SUFFIXES and p.is_file()):
                digest.update(b"\0" + path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    key = digest.hexdigest()
    root = Path(directory) if directory else Path(os.environ.get(ENV_DIR) or default_cache_dir())
    path = root / f"v{FORMAT_VERSION}" / "rules" / f"{key}.pickle"
    body = read_entry(path, key)
    if body is not None:
        try:
            return pickle.loads(body)  # type: ignore[no-any-return]
        except Exception:  # an entry from an incompatible build: rebuild it
            pass
    ruleset = build()
    write_entry(path, key, pickle.dumps(ruleset, protocol=pickle.HIGHEST_PROTOCOL))
    return ruleset
