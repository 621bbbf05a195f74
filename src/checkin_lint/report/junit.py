"""JUnit XML output, the test-report format most CI systems read (Jenkins, GitLab, Azure,
CircleCI, GitHub test-report actions).

One ``<testsuite>`` per input file and one ``<testcase>`` per message, named by its label and
line. A message at or above the fail level (``--fail-on``) is a ``<failure>`` whose text lists
its findings and suggestions; a file that could not be read is an ``<error>``. Findings of a
message that passes are kept in its ``<system-out>``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TextIO

from checkin_lint.escape import escape_beyond_c0
from checkin_lint.report import FileReport, RunReport
from checkin_lint.report.record import MessageRecord

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` with the characters XML 1.0 cannot hold replaced by U+FFFD, and C1 controls,
    bidirectional controls and lone surrogates escaped (:func:`~checkin_lint.escape.escape_beyond_c0`)."""
    return _NOT_XML.sub("\ufffd", escape_beyond_c0(text))


def _details(path: str, message: MessageRecord) -> str:
    lines = [f"{path}:{f.line}:{f.column}: {f.rule_id} {f.message}\n    suggestion: {f.suggestion}" for f in message.anti_patterns]
    lines.append(f"score {message.score}/100, {message.verdict}" + (f": {'; '.join(message.reasons)}" if message.reasons else ""))
    return xml_safe("\n".join(lines) + "\n")


def _suite(run: RunReport, file: FileReport) -> ET.Element:
    path = xml_safe(file.path)
    suite = ET.Element("testsuite", name=path)
    failures = errors = 0
    for problem in file.problems:
        case = ET.SubElement(suite, "testcase", name="read input", classname=path, file=path)
        ET.SubElement(case, "error", type="input-error", message=xml_safe(problem.message)).text = xml_safe(str(problem)) + "\n"
        errors += 1
    for index, message in enumerate(file.messages, 1):
        name = xml_safe(f"{message.label or f'message {index}'} (line {message.line})")
        case = ET.SubElement(suite, "testcase", name=name, classname=path, file=path, line=str(message.line))
        if run.failing(message):
            summary = f"{message.verdict.upper()} score {message.score}/100: {'; '.join(message.reasons)}"
            ET.SubElement(case, "failure", type=message.verdict, message=xml_safe(summary)).text = _details(file.path, message)
            failures += 1
        elif message.anti_patterns or message.verdict != "pass":
            ET.SubElement(case, "system-out").text = _details(file.path, message)
    suite.set("tests", str(len(suite)))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", "0")
    return suite


def as_element(run: RunReport) -> ET.Element:
    """The whole run as a ``<testsuites>`` element."""
    root = ET.Element("testsuites", name="checkin-lint")
    for file in run.files:
        root.append(_suite(run, file))
    for key in ("tests", "failures", "errors"):
        root.set(key, str(sum(int(suite.get(key, "0")) for suite in root)))
    return root


def render(run: RunReport, out: TextIO, *, color: bool = False) -> None:
    """Write the run as one JUnit XML document."""
    root = as_element(run)
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")
