"""SARIF 2.1.0 output, for GitHub code scanning and other SARIF viewers.

One run whose driver lists every rule of the rule set and every built-in check (playbook,
suppression) with its metadata (name, message, rationale, suggestion, default level, kind and
family as tags, and a ``helpUri`` to its generated reference page, ``docs/rules/ID.md``,
under the ``Rule reference`` URL of the package metadata), plus two verdict pseudo-rules, ``verdict/reject`` and ``verdict/warn``, for messages that are rejected or
warned as a whole. Each anti-pattern finding is a result at its span; each rejected or warned
message is a result at its first line. Inputs that could not be read are tool execution
notifications. Paths are relative to ``%SRCROOT%`` (the working directory) when they can be,
and columns count Unicode code points (``columnKind``), as the linter does.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, TextIO
from urllib.parse import quote

from checkin_lint import __version__
from checkin_lint.checks import CHECKS, Check
from checkin_lint.escape import JsonList, write_json
from checkin_lint.report import RunReport
from checkin_lint.rules.model import Rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/checkin-lint/"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
"""Rule severity -> SARIF level."""
SRCROOT = "%SRCROOT%"
VERDICT_RULES: dict[str, dict[str, Any]] = {
    "reject": {
        "id": "verdict/reject",
        "name": "EmptyCheckIn",
        "shortDescription": {"text": "Empty check-in: the message asks for attention and gives nothing"},
        "fullDescription": {"text": "The message has check-in, nudge or call-back phrasing and no real value signal "
                                    "(an insight, a link with a reason, a referral, a specific question, a next step "
                                    "or personalization)."},
        "help": {"text": "Lead with something the reader values, or do not send it."},
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["verdict"]},
    },
    "warn": {
        "id": "verdict/warn",
        "name": "WeakenedMessage",
        "shortDescription": {"text": "Message carries value but is weakened, or scores below the minimum"},
        "fullDescription": {"text": "The message carries some value but check-in phrasing, a vague question or an "
                                    "apologetic tone weakens it, or its score is below the minimum score."},
        "help": {"text": "Drop the filler and lead with the value."},
        "defaultConfiguration": {"level": "warning"},
        "properties": {"tags": ["verdict"]},
    },
}
VERDICT_LEVEL = {"reject": "error", "warn": "warning"}


def _identifier(name: str) -> str:
    """A rule name as an identifier: ``Minimising "just"`` -> ``MinimisingJust``."""
    return "".join(word[:1].upper() + word[1:] for word in re.findall(r"[A-Za-z0-9]+", name))


def rule_page(rule_id: str) -> str:
    """The reference page of a rule or check, relative to ``docs/rules/``."""
    return f"{rule_id}.md"


def _docs_uri() -> str | None:
    """The ``Rule reference`` URL of the installed package's metadata (``[project.urls]``)."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        urls = metadata("checkin-lint").get_all("Project-URL") or []
    except PackageNotFoundError:  # pragma: no cover - running from an uninstalled checkout
        return None
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "rule reference":
            return url.strip().rstrip("/") + "/"
    return None


def rule_descriptor(rule: Rule | Check, docs: str | None = None) -> dict[str, Any]:
    """The SARIF ``reportingDescriptor`` of one rule or built-in check; ``docs`` is the base
    URL of the reference pages."""
    rationale = rule.rationale
    about = rationale or rule.suggestion
    kind = rule.kind if isinstance(rule, Rule) else "check"
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "name": _identifier(rule.name) or rule.id,
        "shortDescription": {"text": rule.name},
        "fullDescription": {"text": about},
        "help": {"text": f"{rule.suggestion}\n\n{rationale}".strip(), "markdown": f"**{rule.suggestion}**\n\n{rationale}".strip()},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {"tags": [kind, rule.family]},
    }
    if docs:
        descriptor["helpUri"] = docs + quote(rule_page(rule.id))
    return descriptor


def artifact_uri(path: str, root: Path) -> dict[str, str]:
    """An ``artifactLocation`` for ``path``: relative to ``%SRCROOT%`` when it is below ``root``."""
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            candidate = candidate.resolve().relative_to(root)
        except ValueError:
            return {"uri": candidate.as_uri()}
    return {"uri": quote(candidate.as_posix()), "uriBaseId": SRCROOT}


def _log(run: RunReport, listing: Callable[[Iterable[Any]], Any], root: Path | None) -> dict[str, Any]:
    """The run as a SARIF 2.1.0 log whose ``results`` are made by ``listing`` (``list``, or
    :class:`~checkin_lint.escape.JsonList` to write them one at a time)."""
    root = (root or Path.cwd()).resolve()
    docs = _docs_uri()
    rules = [rule_descriptor(r, docs) for r in (*run.ruleset.rules, *CHECKS.values())]
    index = {r["id"]: i for i, r in enumerate(rules)}
    for verdict, descriptor in VERDICT_RULES.items():
        index[descriptor["id"]] = len(rules)
        rules.append(descriptor)
    notifications: list[dict[str, Any]] = []
    for file in run.files:
        location = artifact_uri(file.path, root)
        for problem in file.problems:
            region = {"startLine": problem.line} if problem.line else None
            physical: dict[str, Any] = {"artifactLocation": location}
            if region:
                physical["region"] = region
            notifications.append({"level": "error", "message": {"text": problem.message},
                                  "locations": [{"physicalLocation": physical}]})
    invocation: dict[str, Any] = {"executionSuccessful": not notifications}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "checkin-lint", "version": __version__, "semanticVersion": __version__,
                                "informationUri": INFORMATION_URI, "rules": rules}},
            "invocations": [invocation],
            "originalUriBaseIds": {SRCROOT: {"uri": root.as_uri() + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": listing(_results(run, index, root)),
        }],
    }


def _results(run: RunReport, index: dict[str, int], root: Path) -> Iterator[dict[str, Any]]:
    """Each SARIF result of the run, in file and message order."""
    for file in run.files:
        location = artifact_uri(file.path, root)
        for number, message in enumerate(file.messages, 1):
            for f in message.anti_patterns:
                yield {
                    "ruleId": f.rule_id,
                    **({"ruleIndex": index[f.rule_id]} if f.rule_id in index else {}),
                    "level": LEVEL[f.severity],
                    "message": {"text": f"{f.message} Suggestion: {f.suggestion}"},
                    "locations": [{"physicalLocation": {
                        "artifactLocation": location,
                        "region": {"startLine": f.line, "startColumn": f.column, "endLine": f.end_line,
                                   "endColumn": f.end_column, "snippet": {"text": f.text}},
                    }}],
                }
            if message.verdict in VERDICT_LEVEL:
                rule_id = VERDICT_RULES[message.verdict]["id"]
                label = message.label or f"message {number}"
                yield {
                    "ruleId": rule_id,
                    "ruleIndex": index[rule_id],
                    "level": VERDICT_LEVEL[message.verdict],
                    "message": {"text": f"{label}: score {message.score}/100, {message.verdict}: {'; '.join(message.reasons)}"},
                    "locations": [{"physicalLocation": {"artifactLocation": location, "region": {"startLine": message.line}}}],
                    "properties": {"score": message.score, "verdict": message.verdict},
                }


def as_dict(run: RunReport, *, root: Path | None = None) -> dict[str, Any]:
    """The run as a SARIF 2.1.0 log."""
    return _log(run, list, root)


def render(run: RunReport, out: TextIO, *, color: bool = False) -> None:
    """Write the run as one SARIF 2.1.0 JSON document, one result at a time."""
    write_json(out, _log(run, JsonList, None))
    out.write("\n")
