"""Playbooks: the schema of a sequence of touches, and the checks that look across steps.

A playbook is a YAML or JSON file::

    sequence: Renewal, mid-market          # required: the sequence name
    description: After the QBR             # optional
    steps:                                 # required: one entry per touch, in order
      - name: Share the benchmark          # optional label
        day: 0                             # days from the start of the sequence, or
        channel: email                     # email (default), call, linkedin, sms, meeting
        subject: Onboarding benchmark      # optional, email only
        body: |                            # what is sent (email, linkedin, sms) ...
          Hi {{first_name}}, ...
      - wait: 3                            # ... or days after the previous step
        channel: call
        script: |                          # ... or what is said (call, meeting)
          Rep: ...
      - wait: 35
        channel: call
        purpose: check-up                  # outreach, follow-up, check-up, break-up

Every step is a message, labelled ``step N`` (``step N: name``), whose findings point into
the playbook file. The first step defaults to day 0; each later step needs ``day`` or
``wait``; days never go backwards. Every problem is reported at once, with line and column.

Checks across steps (findings located in the playbook file):

``playbook/cadence``
    a touch closer than ``min-gap-days`` (default 2) to the one before; a ``check-up`` step
    sooner than ``checkup-min-days`` (28) or later than ``checkup-max-days`` (42) after the
    previous touch. Verdict at least ``warn``.
``playbook/novelty``
    a step after the first that adds no value-signal family the earlier steps did not
    already carry (it only repeats, or only bumps): an empty check-in at playbook scale.
    Verdict ``reject``.
``playbook/channel``
    a ``check-up`` (asking how well you serve them) sent as email, LinkedIn or SMS: that
    conversation belongs on a call or in a meeting. Verdict at least ``warn``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from checkin_lint.checks import CADENCE, CHANNEL, CHECKS, NOVELTY, PLAYBOOK_IDS, add_check_findings, check_finding
from checkin_lint.findings import Finding

if TYPE_CHECKING:
    from checkin_lint.linter import MessageReport

CHECK_IDS = PLAYBOOK_IDS
"""Check ids reported by this module (described in :mod:`checkin_lint.checks`)."""

CHANNELS = ("email", "call", "linkedin", "sms", "meeting")
SPOKEN = ("call", "meeting")
PURPOSES = ("outreach", "follow-up", "check-up", "break-up")
TOP_KEYS = ("sequence", "description", "steps")
PLAYBOOK_KEYS = ("sequence", "steps")
"""A YAML or JSON mapping with one of these keys at the top is a playbook; other YAML and
JSON (configuration, workflows) is not outreach and is skipped."""
STEP_KEYS = ("name", "day", "wait", "channel", "purpose", "subject", "body", "script")


@dataclass(frozen=True)
class Cadence:
    """Cadence thresholds (configuration table ``cadence``), defaults from the domain:
    daily contact is spam; relationship check-ups every 4-6 weeks."""

    min_gap_days: int = 2
    checkup_min_days: int = 28
    checkup_max_days: int = 42


@dataclass(frozen=True)
class Step:
    """One validated step. ``text_key`` is ``body`` or ``script``; ``timing_key`` is ``day``,
    ``wait`` or ``""`` (a first step without either starts on day 0)."""

    number: int
    name: str
    day: int
    channel: str
    purpose: str
    subject: str
    text_key: str
    text: str
    timing_key: str = ""


PathT = tuple[Any, ...]
Problems = list[tuple[PathT, str]]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_playbook(data: Any) -> bool:
    """True when parsed YAML or JSON is meant as a playbook (a mapping with a key from
    :data:`PLAYBOOK_KEYS`)."""
    return isinstance(data, dict) and any(key in data for key in PLAYBOOK_KEYS)


def validate(data: Any) -> tuple[list[Step], Problems]:
    """The steps of a parsed playbook and every problem with it (paths into the document)."""
    problems: Problems = []
    if not isinstance(data, dict):
        return [], [((), "a playbook must be a mapping with 'sequence' and 'steps'")]
    for key in data:
        if key not in TOP_KEYS:
            problems.append(((key,), f"unknown key {key!r} (allowed: {', '.join(TOP_KEYS)})"))
    if not isinstance(data.get("sequence"), str) or not data["sequence"].strip():
        problems.append((("sequence",) if "sequence" in data else (), "'sequence' (the sequence name) must be a non-empty string"))
    if "description" in data and not isinstance(data["description"], str):
        problems.append((("description",), "'description' must be a string"))
    steps_data = data.get("steps")
    if not isinstance(steps_data, list) or not steps_data:
        problems.append((("steps",) if "steps" in data else (), "'steps' must be a non-empty list of touches"))
        return [], problems
    steps: list[Step] = []
    day = 0
    for i, raw in enumerate(steps_data):
        step = _step(i, raw, day, problems)
        if step is not None:
            day = step.day
            steps.append(step)
    return steps, problems


def _step(i: int, raw: Any, previous_day: int, problems: Problems) -> Step | None:
    at: PathT = ("steps", i)
    if not isinstance(raw, dict):
        problems.append((at, "a step must be a mapping (day or wait, channel, body or script)"))
        return None
    before = len(problems)
    for key in raw:
        if key not in STEP_KEYS:
            problems.append((at + (key,), f"unknown step key {key!r} (allowed: {', '.join(STEP_KEYS)})"))
    for key in ("name", "subject", "body", "script"):
        if key in raw and not isinstance(raw[key], str):
            problems.append((at + (key,), f"{key!r} must be a string"))
    for key in ("day", "wait"):
        if key in raw and not (_is_int(raw[key]) and raw[key] >= 0):
            problems.append((at + (key,), f"{key!r} must be a whole number of days (0 or more)"))
    if "day" in raw and "wait" in raw:
        problems.append((at, "give 'day' or 'wait', not both"))
    elif i and "day" not in raw and "wait" not in raw:
        problems.append((at, "every step after the first needs 'day' (from the start) or 'wait' (after the previous step)"))
    channel = raw.get("channel", "email")
    if channel not in CHANNELS:
        problems.append((at + ("channel",), f"channel must be one of {', '.join(CHANNELS)}, not {channel!r}"))
    purpose = raw.get("purpose", "outreach" if i == 0 else "follow-up")
    if purpose not in PURPOSES:
        problems.append((at + ("purpose",), f"purpose must be one of {', '.join(PURPOSES)}, not {purpose!r}"))
    present = [k for k in ("body", "script") if k in raw]
    if len(present) != 1:
        problems.append((at, "a step needs exactly one of 'body' (what is sent) or 'script' (what is said)"))
    elif isinstance(raw[present[0]], str) and not raw[present[0]].strip():
        problems.append((at + (present[0],), f"{present[0]!r} is empty"))
    if "subject" in raw and channel != "email":
        problems.append((at + ("subject",), f"'subject' is for email steps, not {channel}"))
    if len(problems) > before:
        return None
    day = raw["day"] if "day" in raw else previous_day + raw.get("wait", 0)
    if day < previous_day:
        problems.append((at + ("day",), f"day {day} comes before the previous step's day {previous_day}; steps are in order"))
        return None
    timing_key = "day" if "day" in raw else "wait" if "wait" in raw else ""
    return Step(i + 1, raw.get("name", ""), day, channel, purpose, raw.get("subject", ""), present[0], raw[present[0]], timing_key)


Enabled = Callable[[str], bool]
Suppressed = Callable[[str, int], bool]


def check(reports: list[MessageReport], cadence: Cadence, *, enabled: Enabled, suppressed: Suppressed) -> list[MessageReport]:
    """The step reports with cross-step findings added (cadence, novelty, channel).

    ``reports`` are in step order and each message's ``meta`` carries its step (see the
    playbook reader). ``enabled`` says whether a check id is selected; ``suppressed`` whether
    a directive turns a check id off at a line.
    """
    out: list[MessageReport] = []
    carried: set[str] = set()
    previous: MessageReport | None = None
    for report in reports:
        meta = report.message.meta
        source = report.message.source
        found: list[tuple[Finding, str, str]] = []

        def add(rule_id: str, anchor: str, message: str, suggestion: str, verdict: str, reason: str) -> None:
            finding = check_finding(rule_id, source, int(meta["anchors"][anchor]), message, suggestion,
                                    severity=CHECKS[rule_id].severity)  # type: ignore[index]
            if enabled(rule_id) and not suppressed(rule_id, finding.line):
                found.append((finding, verdict, reason))

        label = f"step {meta['step']}"
        if previous is not None:
            pmeta = previous.message.meta
            gap = int(meta["day"]) - int(pmeta["day"])  # type: ignore[call-overload]
            span = f"day {pmeta['day']} -> day {meta['day']}"
            if meta["purpose"] == "check-up" and not cadence.checkup_min_days <= gap <= cadence.checkup_max_days:
                early = gap < cadence.checkup_min_days
                add(CADENCE, "timing",
                    f"{label} is a relationship check-up {gap} days after step {pmeta['step']} ({span}); "
                    f"check-ups belong {cadence.checkup_min_days}-{cadence.checkup_max_days} days apart",
                    "Sooner feels like stalking; wait until about four weeks have passed." if early
                    else "Later and they forget you; check in within about six weeks.",
                    "warn", "cadence: check-up too soon" if early else "cadence: check-up too late")
            elif gap < cadence.min_gap_days:
                add(CADENCE, "timing",
                    f"{label} comes {gap} day{'s' * (gap != 1)} after step {pmeta['step']} ({span}); "
                    f"leave at least {cadence.min_gap_days} days between touches",
                    "Space the touches out: contact every day or two reads as spam.",
                    "warn", "cadence: touches too close together")
            families = _value_families(report)
            new = families - carried
            if not new:
                missing = [f.title.lower() for name, f in report.families.items() if f.kind == "signal" and name not in carried]
                if families:
                    text = (f"{label} adds no value the earlier steps did not already carry "
                            f"(it repeats: {', '.join(sorted(families))}): an empty check-in at playbook scale")
                else:
                    text = f"{label} carries no value signal: it only bumps the earlier steps, an empty check-in at playbook scale"
                add(NOVELTY, "text", text,
                    "Give this touch something new" + (f": {', '.join(missing)}." if missing else ", or drop it."),
                    "reject", "novelty: the step adds nothing new")
        if meta["purpose"] == "check-up" and meta["channel"] not in SPOKEN:
            add(CHANNEL, "channel",
                f"{label} is a relationship check-up sent by {meta['channel']}: asking how well you serve them belongs on a call or in a meeting",
                "Call or meet to ask how you are doing and what would make it better; use email to pass on information or summarise commitments afterwards.",
                "warn", "channel: check-up by " + str(meta["channel"]))
        carried |= _value_families(report)
        for finding, verdict, reason in found:
            report = add_check_findings(report, [finding], verdict, reason)  # type: ignore[arg-type]
        out.append(report)
        previous = report
    return out


def _value_families(report: MessageReport) -> set[str]:
    families = {f.family for f in report.findings if f.kind == "signal"}
    return families | {s.family for s in report.message.slots if s.family}
