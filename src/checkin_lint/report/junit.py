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
from typing import Iterator, TextIO

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


def _cases(run: RunReport, file: FileReport) -> Iterator[ET.Element]:
    """The ``<testcase>`` elements of one file: its input errors, then one per message."""
    path = xml_safe(file.path)
    for problem in file.problems:
        case = ET.Element("testcase", name="read input", classname=path, file=path)
        ET.SubElement(case, "error", type="input-error", message=xml_safe(problem.message)).text = xml_safe(str(problem)) + "\n"
        yield case
    for index, message in enumerate(file.messages, 1):
        name = xml_safe(f"{message.label or f'message {index}'} (line {message.line})")
        case = ET.Element("testcase", name=name, classname=path, file=path, line=str(message.line))
        if run.failing(message):
            summary = f"{message.verdict.upper()} score {message.score}/100: {'; '.join(message.reasons)}"
            ET.SubElement(case, "failure", type=message.verdict, message=xml_safe(summary)).text = _details(file.path, message)
        elif message.anti_patterns or message.verdict != "pass":
            ET.SubElement(case, "system-out").text = _details(file.path, message)
        yield case


def _suite(run: RunReport, file: FileReport) -> ET.Element:
    """The ``<testsuite>`` of one file, without its test cases, with their counts."""
    failures = sum(1 for m in file.messages if run.failing(m))
    return ET.Element("testsuite", name=xml_safe(file.path), tests=str(len(file.problems) + len(file.messages)),
                      failures=str(failures), errors=str(len(file.problems)), skipped="0")


def as_element(run: RunReport) -> ET.Element:
    """The whole run as a ``<testsuites>`` element."""
    root = _root(run, suites := [_suite(run, file) for file in run.files])
    for suite, file in zip(suites, run.files):
        suite.extend(_cases(run, file))
        root.append(suite)
    return root


def _root(run: RunReport, suites: list[ET.Element]) -> ET.Element:
    root = ET.Element("testsuites", name="checkin-lint")
    for key in ("tests", "failures", "errors"):
        root.set(key, str(sum(int(suite.get(key, "0")) for suite in suites)))
    return root


def _tags(element: ET.Element) -> tuple[str, str]:
    """The opening and closing tags of ``element`` as :mod:`xml.etree` writes them."""
    marker = "\ue000checkin-lint\ue000"
    shell = ET.Element(element.tag, element.attrib)
    shell.text = marker
    opening, closing = ET.tostring(shell, encoding="unicode").split(marker)
    return opening, closing


def render(run: RunReport, out: TextIO, *, color: bool = False) -> None:
    """Write the run as one JUnit XML document, exactly as ``ET.indent`` and ``ET.tostring``
    lay out the whole tree, one test case at a time."""
    suites = [_suite(run, file) for file in run.files]
    root = _root(run, suites)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    if not suites:
        out.write(ET.tostring(root, encoding="unicode"))
        out.write("\n")
        return
    opening, closing = _tags(root)
    out.write(opening + "\n  ")
    for n, (suite, file) in enumerate(zip(suites, run.files), 1):
        suite.tail = "\n  " if n < len(suites) else "\n"
        if not file.problems and not file.messages:
            out.write(ET.tostring(suite, encoding="unicode"))
            continue
        suite_opening, suite_closing = _tags(suite)
        out.write(suite_opening + "\n    ")
        cases = _cases(run, file)
        case = next(cases)
        for following in _then_none(cases):
            case.tail = "\n    " if following is not None else "\n  "
            ET.indent(case, level=2)
            out.write(ET.tostring(case, encoding="unicode"))
            if following is None:
                break
            case = following
        out.write(suite_closing + suite.tail)
    out.write(closing)
    out.write("\n")


def _then_none(items: Iterator[ET.Element]) -> Iterator[ET.Element | None]:
    yield from items
    yield None
