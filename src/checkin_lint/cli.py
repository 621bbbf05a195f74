"""The ``checkin-lint`` command line.

``checkin-lint [lint] PATH...`` lints drafts; ``rewrite`` prints value-first rewrites;
``rules`` lists the rules; ``explain RULE`` shows one. spaCy is imported only by the commands
that lint, so ``--help``, ``--version``, ``rules`` and ``explain`` start fast.
"""

from __future__ import annotations

import functools
import os
import sys
from typing import Any, Callable, NoReturn

import click
from click_default_group import DefaultGroup

from checkin_lint import __version__
from checkin_lint.errors import EXIT_ERROR, CheckinLintError
from checkin_lint.escape import escape_lines, escape_path, escape_text
from checkin_lint.inputs import READERS
from checkin_lint.language import LANGUAGES
from checkin_lint.report import FORMATS
from checkin_lint.scoring import FAIL_LEVELS


class LintByDefault(DefaultGroup):  # type: ignore[misc]
    """A group whose default command is ``lint`` (click-default-group), so ``checkin-lint
    draft.txt`` works, but where a first argument that is neither a command nor an existing
    path and is close to a command name (``checkin-lint rewite``) is a usage error, not a file
    that cannot be read."""

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        """The command for ``args``; fails on a mistyped command name."""
        name = args[0] if args else ""
        if name and name not in self.commands and not name.startswith("-") and not os.path.exists(name):
            import difflib

            close = difflib.get_close_matches(name, list(self.commands), n=1, cutoff=0.6)
            if close:
                ctx.fail(f"no such command {name!r} (and no such file); did you mean {close[0]!r}?")
        return super().resolve_command(ctx, args)  # type: ignore[no-any-return]

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; Ctrl-C exits 130 and an unexpected exception (a bug) exits 3 with
        one line saying where to report it, instead of click's exit 1."""
        from checkin_lint.errors import EXIT_BROKEN_PIPE, EXIT_INTERNAL, EXIT_INTERRUPTED, internal_problem

        for stream in (sys.stdout, sys.stderr):  # never fail on text a strict UTF-8 stream cannot take
            if hasattr(stream, "reconfigure"):
                stream.reconfigure(errors="backslashreplace")
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:
            # the reader stopped reading (| head): stop quietly, and keep Python's exit-time
            # flush of stdout from raising again (Python docs, "Note on SIGPIPE")
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_BROKEN_PIPE)
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            click.echo(f"error: {internal_problem('checkin-lint', exc)}", err=True)
            sys.exit(EXIT_INTERNAL)


def _fail(exc: CheckinLintError) -> NoReturn:
    for problem in exc.problems:
        click.echo(f"error: {problem}", err=True)
    sys.exit(exc.exit_code)


def _use_color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def rule_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options that choose the rule set."""
    func = click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False), metavar="DIR",
                        help="Extra rules directory in the built-in format (repeatable).")(func)
    func = click.option("--select", multiple=True, metavar="RULE",
                        help="Only these rules, by id or prefix such as 'checkin' (repeatable).")(func)
    func = click.option("--ignore", multiple=True, metavar="RULE",
                        help="Skip these rules, by id or prefix (repeatable).")(func)
    return func


def linter_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options that build the linter: the rule set, the pipeline and the minimum score."""
    func = rule_options(func)
    func = click.option("--model", metavar="NAME|PATH", default=None,
                        help="Opt-in trained spaCy pipeline (package name or path) for rules that need POS/DEP.")(func)
    func = click.option("--min-score", type=click.IntRange(0, 100), default=None,
                        help="Messages scoring below this get at least a warning (default: pass-from of the scoring table, 60).")(func)
    return func


def config_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--config FILE``; without it the configuration is found from the input files."""
    return click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True), default=None,
                        metavar="FILE", help="Configuration file (.checkin-lint.yaml or pyproject.toml) [default: found "
                                             "by walking up from the input files].")(func)


def lint_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by the commands that lint."""
    func = linter_options(func)
    func = click.option("--input-format", default=None, type=click.Choice(list(READERS)),
                        help="Read every input as this format instead of choosing by extension.")(func)
    func = config_option(func)
    func = click.option("--column", default=None, metavar="NAME", help="CSV: the column holding the message body.")(func)
    func = click.option("--subject-column", default=None, metavar="NAME", help="CSV: the subject column, linted with the body.")(func)
    func = click.option("--id-column", default=None, metavar="NAME", help="CSV: a column that names each row in the report.")(func)
    func = click.option("--extend-exclude", multiple=True, metavar="GLOB",
                        help="Never lint files matching GLOB (gitignore style), besides the configuration's exclude (repeatable).")(func)
    func = click.option("--force-exclude/--no-force-exclude", default=True, show_default=True,
                        help="Apply exclude globs to files named on the command line too (as pre-commit passes them).")(func)
    func = click.argument("paths", nargs=-1, required=True, metavar="PATH... | -")(func)
    return func


def _config(paths: tuple[str, ...], config_file: str | None, rule_dirs: tuple[str, ...], select: tuple[str, ...],
            ignore: tuple[str, ...], model: str | None, min_score: int | None, fail_on: str | None,
            column: str | None, subject_column: str | None, id_column: str | None, extend_exclude: tuple[str, ...] = (),
            language: str | None = None) -> Any:
    """The run's configuration: the configuration file with the command-line options on top."""
    from checkin_lint.config import resolve

    return resolve(paths, config_file=config_file, select=select, ignore=ignore, rule_dirs=rule_dirs, min_score=min_score,
                   fail_on=fail_on, model=model, column=column, subject_column=subject_column, id_column=id_column,
                   extend_exclude=extend_exclude, language=language)


_NO_CACHE = "checkin_lint.no_cache"


def no_cache_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--no-cache`` for the commands that only read the rule-set cache (rules, explain,
    rewrite, eval); recorded on the click context, read by :func:`_no_cache`."""
    def remember(ctx: click.Context, param: click.Parameter, value: bool) -> None:
        if value:
            ctx.meta[_NO_CACHE] = True

    return click.option("--no-cache", is_flag=True, expose_value=False, callback=remember,
                        help="Neither read nor write the cache.")(func)


def _no_cache() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.meta.get(_NO_CACHE))


def _config_ruleset(config: Any, *, cache_dir: str | None = None, no_cache: bool = False) -> Any:
    """The rules a configuration asks for, served from the rule-set cache unless ``no_cache``
    or the package's prebuilt rules serve them (as quickly as a cache entry would)."""
    from checkin_lint.cache import cached_ruleset
    from checkin_lint.config import build_ruleset
    from checkin_lint.rules.loader import prebuilt_serves

    if no_cache or _no_cache() or prebuilt_serves(config.rules, config.scoring):
        return build_ruleset(config)
    return cached_ruleset(config.rules, lambda: build_ruleset(config), extra=config.digest(), directory=cache_dir)


def _config_linter(config: Any, *, cache_dir: str | None = None, no_cache: bool = False) -> Any:
    """A linter with the configuration's rules (from the rule-set cache unless ``no_cache``),
    minimum score and model."""
    from checkin_lint.linter import Linter

    return Linter(_config_ruleset(config, cache_dir=cache_dir, no_cache=no_cache), min_score=config.min_score,
                  model=config.model)


@click.group(cls=LintByDefault, default="lint", context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="checkin-lint")
def main() -> None:
    """Lint sales outreach: reject empty "just checking in" follow-ups, score each message
    0-100 for the value it carries, explain every point, and suggest a value-first rewrite.

    \b
    Exit codes: 0 nothing at or above the fail level, 1 findings at or above it,
                2 usage, configuration, rule or input error, 3 internal error,
                130 interrupted, 141 output pipe closed (| head).
    """


def run_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options of ``lint`` for where it runs: report format and file, exit code, fixes, speed."""
    options = [
        click.option("--format", "output_format", type=click.Choice(list(FORMATS)), default="text", show_default=True,
                     help="Output format: text for people, concise one line per finding, json, sarif (code "
                          "scanning), github (workflow annotations), junit (CI test reports)."),
        click.option("--output", "-o", "output_file", type=click.Path(dir_okay=False), default=None, metavar="FILE",
                     help="Write the report to FILE; the terminal gets only the summary."),
        click.option("--fail-on", type=click.Choice(FAIL_LEVELS), default=None,
                     help="Lowest verdict that makes the exit code 1 [default: reject, or fail-on in the configuration]."),
        click.option("--exit-zero", is_flag=True,
                     help="Exit 0 even when messages are rejected or warned (input errors still exit 2)."),
        click.option("--fix", is_flag=True,
                     help="Apply the fixes the rule files mark safe, then report what is left."),
        click.option("--diff", is_flag=True,
                     help="Print the safe fixes as a unified diff instead of writing them (exit 1 if there are any)."),
        click.option("--jobs", "-j", type=click.IntRange(min=0), default=1, show_default=True, metavar="N",
                     help="Lint in N processes (0: one per CPU)."),
        click.option("--cache-dir", type=click.Path(file_okay=False), envvar="CHECKIN_LINT_CACHE_DIR", default=None,
                     help="Result cache directory [default: the user cache directory; env CHECKIN_LINT_CACHE_DIR]."),
        click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache."),
        click.option("--baseline", type=click.Path(dir_okay=False), default=None, metavar="FILE",
                     help="Leave out the rejected and warned messages recorded in FILE; when FILE does not exist, "
                          "record this run's there first (adopting on an existing library)."),
        click.option("--show-settings", is_flag=True,
                     help="Print the settings that apply to the first PATH and where each came from, then exit."),
        click.option("--quiet", "-q", is_flag=True,
                     help="Text output: only the findings and verdicts of rejected and warned messages; no summary."),
        click.option("--statistics", is_flag=True, help="Text output: count the findings per rule instead of listing them."),
        click.option("--progress/--no-progress", default=None,
                     help="Progress bar on standard error [default: on a terminal, when many files are linted]."),
    ]
    for option in reversed(options):  # click lists options in decorator order
        func = option(func)
    return func


PROGRESS_MIN_FILES = 50
"""A run that lints fewer files than this gets no progress bar unless asked for."""


class ProgressBar:
    """A progress bar on standard error, opened when the first linted file comes back and
    only for a long run (or when asked)."""

    def __init__(self, wanted: bool | None) -> None:
        self.wanted = sys.stdout.isatty() and sys.stderr.isatty() if wanted is None else wanted
        self.minimum = PROGRESS_MIN_FILES if wanted is None else 1
        self._bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        """Record that ``done`` of ``total`` files are linted."""
        if self._bar is None:
            if not self.wanted or total < self.minimum:
                return
            self._bar = click.progressbar(length=total, label="Linting", file=sys.stderr)
            self._bar.__enter__()
        self._bar.update(done - self._bar.pos)

    def close(self) -> None:
        """Finish the bar (if one was shown)."""
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


class LintCommand(click.Command):
    """``lint``: ``--add-noqa`` takes its reason only with ``=`` (``--add-noqa=REASON``), as in
    ruff, so ``--add-noqa templates/`` lints ``templates/`` instead of taking it as the reason."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Parse ``args``, a bare ``--add-noqa`` (before any ``--``) meaning the default reason."""
        end = args.index("--") if "--" in args else len(args)
        args = [f"{ADD_NOQA}=" if i < end and arg == ADD_NOQA else arg for i, arg in enumerate(args)]
        return super().parse_args(ctx, args)


ADD_NOQA = "--add-noqa"


@main.command(cls=LintCommand)
@lint_options
@run_options
@click.option(ADD_NOQA, "add_noqa", default=None, metavar="[=REASON]",
              help="Write a suppression directive for every finding into the files instead of reporting them "
                   "(adopting on an existing library); the reason defaults to 'added by --add-noqa on DATE'.")
@click.option("--show-dropped", is_flag=True,
              help="Text output: list what each message left out (quotes, signature, footer, inherited subject).")
@click.option("--language", type=click.Choice(LANGUAGES), default=None,
              help="auto: skip messages not in English, with a notice [default]; en: lint every message as English.")
def lint(paths: tuple[str, ...], rule_dirs: tuple[str, ...], select: tuple[str, ...], ignore: tuple[str, ...],
         model: str | None, min_score: int | None, input_format: str | None, output_format: str, output_file: str | None,
         fail_on: str | None, exit_zero: bool, fix: bool, diff: bool, jobs: int, cache_dir: str | None, no_cache: bool,
         progress: bool | None, config_file: str | None, column: str | None, subject_column: str | None,
         id_column: str | None, extend_exclude: tuple[str, ...], force_exclude: bool, quiet: bool, statistics: bool,
         show_settings: bool, baseline: str | None, show_dropped: bool, language: str | None,
         add_noqa: str | None) -> None:
    """Lint drafts, templates and scripts (PATH... or - for standard input)."""
    from checkin_lint.config import Resolver, expand_paths
    from checkin_lint.errors import EXIT_FINDINGS, EXIT_OK
    from checkin_lint.parallel import default_jobs
    from checkin_lint.report import FileReport

    mode = "diff" if diff else "fix" if fix else "check"
    bar = ProgressBar(progress)
    special: list[str] = []  # paths inside folders that are not regular files there
    try:
        config = _config(paths, config_file, rule_dirs, select, ignore, model, min_score, fail_on, column, subject_column, id_column,
                         extend_exclude, language)
        resolver = Resolver(config_file, select=select, ignore=ignore, rule_dirs=rule_dirs, min_score=min_score, fail_on=fail_on,
                            model=model, column=column, subject_column=subject_column, id_column=id_column,
                            extend_exclude=extend_exclude, language=language)
        if show_settings:
            _show_settings(paths[0], resolver.for_path(paths[0]), config)
            return
        files, unreadable = expand_paths(paths, config, force_exclude=force_exclude, config_for=resolver.for_path,
                                         skipped=special)
        if add_noqa is not None:
            _add_noqa(resolver, files, unreadable, add_noqa, input_format=input_format, cache_dir=cache_dir, no_cache=no_cache,
                      conflicts={"--fix": fix, "--diff": diff, "--baseline": bool(baseline)})
            return
        _check_output(output_file, files)
        batch = _lint_by_config(resolver, files, input_format=input_format, mode=mode, jobs=jobs or default_jobs(),
                                cache_dir=cache_dir, no_cache=no_cache, fail_on=config.fail_on, progress=bar)
    except CheckinLintError as exc:
        bar.close()
        _fail(exc)
        return
    bar.close()
    for warning in dict.fromkeys(config.warnings + resolver.warnings()):
        click.echo(f"warning: {warning}", err=True)
    if jobs != 1 and batch.throughput:
        _report_throughput(batch.throughput, jobs or default_jobs())
    run = batch.run
    run.show_dropped = show_dropped
    run.files[:0] = [FileReport(p.path, problems=[p]) for p in unreadable]
    run.notices.extend(_excluded_notice(paths, files, force_exclude))
    if special:
        run.notices.append(f"skipped, not a regular file inside the folder (a FIFO, device, socket or link out of it): {_listed(special)}")
    if baseline:
        _use_baseline(run, baseline)
    for problem in run.problems:
        click.echo(f"error: {problem}", err=True)
    if mode == "diff":
        sys.stdout.write("".join(batch.diffs))
        sys.exit(EXIT_ERROR if run.problems else EXIT_FINDINGS if batch.diffs and not exit_zero else EXIT_OK)
    if batch.fixed:
        files = sum(1 for o in batch.outcomes if o.fixed)
        click.echo(f"fixed {batch.fixed} finding{'s' * (batch.fixed != 1)} in {files} file{'s' * (files != 1)}", err=True)
    _emit(run, output_format, output_file, text_options={"quiet": quiet, "statistics": statistics})
    code = run.exit_code()
    sys.exit(EXIT_OK if exit_zero and code == EXIT_FINDINGS else code)


def _add_noqa(resolver: Any, files: list[str], unreadable: list[Any], reason: str, *, input_format: str | None,
              cache_dir: str | None, no_cache: bool, conflicts: dict[str, bool]) -> None:
    """``--add-noqa``: write a directive for every finding into each file (see
    :mod:`checkin_lint.add_noqa`), say how many went into how many files, and exit: 0, 2 when
    a file could not be read or written, 3 when a bug stopped one file (the others go on)."""
    from checkin_lint.add_noqa import NotSuppressible, add_directives, check_reason, default_reason
    from checkin_lint.atomic import write_user_file
    from checkin_lint.errors import EXIT_INTERNAL, InputError, Problem, UsageError, internal_problem
    from checkin_lint.runner import STDIN, display_name, read_input

    clash = [name for name, given in conflicts.items() if given]
    if clash:
        raise UsageError([Problem(ADD_NOQA, f"cannot be combined with {clash[0]}")])
    problem = check_reason(reason)
    if problem:
        raise UsageError([Problem(ADD_NOQA, problem)])
    reason = reason.strip() or default_reason()
    linters = {id(group): _config_linter(group, cache_dir=cache_dir, no_cache=no_cache) for group, _ in resolver.groups(files)}
    problems = list(unreadable)
    for item in unreadable:
        click.echo(f"error: {item}", err=True)
    added = changed = 0
    internal = False
    for path in files:
        display = display_name(path)
        config = resolver.for_path(path)
        lint = functools.partial(_lint_for_noqa, linters[id(config)], display, input_format=input_format, config=config)
        try:
            if path == STDIN:
                raise NotSuppressible("standard input cannot be written")
            raw = read_input(path, limit=config.max_file_size)
            outcome = add_directives(display, raw, lint, reason)
            if outcome.added:
                write_user_file(path, outcome.raw)
        except InputError as exc:
            problems.extend(exc.problems)
            for item in exc.problems:
                click.echo(f"error: {item}", err=True)
            continue
        except NotSuppressible as exc:
            click.echo(f"notice: {display}: skipped by --add-noqa: {exc}", err=True)
            continue
        except OSError as exc:
            problems.append(Problem(display, f"cannot write the directives: {exc.strerror or exc}"))
            click.echo(f"error: {problems[-1]}", err=True)
            continue
        except Exception as exc:  # noqa: BLE001 - a bug costs this file, not the run
            problems.append(internal_problem(display, exc))
            click.echo(f"error: {problems[-1]}", err=True)
            internal = True
            continue
        added += outcome.added
        changed += bool(outcome.added)
    click.echo(f"added {added} directive{'s' * (added != 1)} to {changed} file{'s' * (changed != 1)}", err=True)
    sys.exit(EXIT_INTERNAL if internal else EXIT_ERROR if problems else 0)


def _lint_for_noqa(linter: Any, display: str, raw: bytes, *, input_format: str | None, config: Any) -> tuple[Any, Any]:
    """The document and finished reports of one file's bytes, for ``--add-noqa``."""
    from checkin_lint.runner import lint_document

    document, reports, _ = lint_document(linter, display, raw, input_format=input_format, config=config)
    return document, reports


def _show_settings(path: str, config: Any, run_config: Any) -> None:
    """Print the settings of ``path``: one ``key = value  # origin`` line each (JSON values).
    The rules are loaded first, so a selector naming no rule is the same error as in a run."""
    import json

    ruleset = _config_ruleset(config)
    click.echo(f"settings for {path}: {config.path or 'no configuration file (defaults)'}")
    for warning in config.warnings:
        click.echo(f"warning: {warning}")
    rows = [(k, v, w) for k, v, w in config.settings() if k != "fail-on"]
    rows = [(k, ruleset.scoring.pass_from, "default: pass-from of the scoring table") if k == "min-score" and v is None
            else (k, v, w) for k, v, w in rows]
    rows.append(("fail-on", run_config.fail_on, run_config.origin("fail-on")))  # a setting of the run
    width = min(40, max(len(f"{k} = {json.dumps(v)}") for k, v, _ in rows))
    for key, value, where in rows:
        line = f"{key} = {json.dumps(value)}"
        click.echo(f"{line:<{width}}  # {where}")


def _lint_by_config(resolver: Any, files: list[str], *, input_format: str | None, mode: str, jobs: int,
                    cache_dir: str | None, no_cache: bool, fail_on: str, progress: ProgressBar) -> Any:
    """Lint ``files``, each with the configuration closest to it (one rule set, result cache
    and worker pool per configuration), and put the results back in input order."""
    from checkin_lint.cache import ResultCache
    from checkin_lint.parallel import BatchResult, LintSettings, Throughput, lint_many
    from checkin_lint.report import RunReport
    from checkin_lint.rules.ruleset import merge_rulesets

    outcomes: list[Any] = [None] * len(files)
    notices: list[str] = []
    rulesets = []
    throughputs = []
    base = 0
    shown = False

    def report_progress(done: int, total: int) -> None:  # one bar over every group: files linted so far
        nonlocal shown
        shown = True
        progress(base + done, len(files))

    groups = resolver.groups(files) or [(resolver.for_path("-"), [])]
    for config, indices in groups:
        ruleset = _config_ruleset(config, cache_dir=cache_dir, no_cache=no_cache)
        settings = LintSettings(ruleset, config.min_score, config.model, input_format, config)
        # A trained pipeline is outside what the cache key can see: no cache with --model.
        cache = None if no_cache or config.model else ResultCache.open(
            cache_dir, rules_fingerprint=ruleset.fingerprint, settings=settings.cache_settings())
        batch = lint_many([files[i] for i in indices], settings, jobs=jobs, cache=cache, mode=mode, fail_on=fail_on,  # type: ignore[arg-type]
                          progress=progress if len(groups) == 1 else report_progress)
        base += len(indices)
        for index, outcome in zip(indices, batch.outcomes):
            outcomes[index] = outcome
        derived = RunReport(batch.run.files, ruleset).notices  # worked out again over every file below
        notices += [n for n in batch.run.notices if n not in derived and n not in notices]
        rulesets.append(ruleset)
        if batch.throughput is not None:
            throughputs.append(batch.throughput)
    if shown:
        progress(len(files), len(files))
    run = RunReport([o.report for o in outcomes], merge_rulesets(rulesets), fail_on=fail_on)
    run.notices[:0] = notices
    throughput = throughputs[0] if len(throughputs) == 1 else Throughput(
        sum(t.files for t in throughputs), sum(t.bytes for t in throughputs), sum(t.messages for t in throughputs),
        max(t.processes for t in throughputs), sum(t.seconds for t in throughputs)) if throughputs else None
    return BatchResult(run, outcomes, throughput)


def _use_baseline(run: Any, path: str) -> None:
    """Leave the messages recorded in the baseline ``path`` out of ``run`` (recording them
    first when ``path`` does not exist), with a notice saying how many."""
    from checkin_lint.baseline import apply_baseline, read_baseline, write_baseline

    try:
        if not os.path.exists(path):
            written = write_baseline(run, path)
            run.notices.append(f"baseline {path} written: {written} rejected or warned message{'s' * (written != 1)} recorded")
        keys = read_baseline(path)
    except CheckinLintError as exc:
        _fail(exc)
        return
    except OSError as exc:
        click.echo(f"error: {path}: cannot write the baseline: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_ERROR)
    left_out = apply_baseline(run, keys)
    if left_out:
        run.notices.append(f"{left_out} message{'s' * (left_out != 1)} recorded in the baseline {path} not reported")


def _check_output(output_file: str | None, inputs: list[str]) -> None:
    """Refuse an ``--output`` file that is one of the inputs (it would replace the draft)."""
    from checkin_lint.atomic import same_file
    from checkin_lint.errors import Problem, UsageError

    if output_file is not None and same_file(output_file, inputs) is not None:
        raise UsageError([Problem(output_file, "output file is an input; the report would replace it")])


def _report_throughput(throughput: Any, jobs: int) -> None:
    """With ``--jobs``: what the linting reached, on stderr, and why it did not fork when it did not."""
    from checkin_lint.parallel import MIN_PARALLEL_BYTES

    line = throughput.describe()
    if throughput.processes == 1 and jobs > 1 and throughput.files > 1:
        line += f" (less than {MIN_PARALLEL_BYTES // 1000:,} KB to lint: {jobs} processes would take longer)"
    click.echo(line, err=True)


def _excluded_notice(paths: tuple[str, ...], files: list[str], force_exclude: bool) -> list[str]:
    """A notice naming the files given on the command line that exclude globs left out."""
    kept = set(files)
    left_out = [p for p in paths if p != "-" and p not in kept and not os.path.isdir(p)] if force_exclude else []
    if not left_out:
        return []
    return [f"excluded by the exclude globs (lint them with --no-force-exclude): {_listed(left_out)}"]


def _listed(paths: list[str]) -> str:
    """The first five paths, comma-separated, and how many more."""
    return ", ".join(paths[:5]) + (f" and {len(paths) - 5} more" if len(paths) > 5 else "")


def _emit(run: Any, output_format: str, output_file: str | None, text_options: dict[str, bool] | None = None) -> None:
    """Render the report to standard output, or to ``output_file`` with the summary on the terminal.
    ``text_options`` (``quiet``, ``statistics``) apply to the text format."""
    from checkin_lint.report import get_renderer
    from checkin_lint.report.text import render_summary

    renderer = get_renderer(output_format)
    options = dict(text_options or {}) if output_format == "text" else {}
    if output_file is None:
        if output_format == "text" and sys.stdout.isatty():
            options["group"] = True
        renderer(run, sys.stdout, color=_use_color() and output_format == "text", **options)
        return
    import io
    import tempfile

    from checkin_lint.atomic import write_user_file

    # The report goes to a temporary file first (a report of many messages is never in memory
    # whole), then to FILE through the one helper that writes user files.
    with tempfile.TemporaryFile() as spill:
        text = io.TextIOWrapper(spill, encoding="utf-8", errors="backslashreplace", newline="")
        renderer(run, text, color=False, **options)
        text.flush()
        text.detach()
        spill.seek(0)
        try:
            write_user_file(output_file, spill)
        except OSError as exc:
            click.echo(f"error: {output_file}: cannot write the report: {exc.strerror or exc}", err=True)
            sys.exit(EXIT_ERROR)
    render_summary(run, sys.stdout, color=_use_color())
    click.echo(f"{output_format} report written to {output_file}")


@main.command()
@lint_options
@no_cache_option
@click.option("--diff", "show_diff", is_flag=True,
              help="Print each rewrite as a unified diff against the message as written (exit 1 if any would change).")
@click.option("--write", is_flag=True,
              help="Write the rewrites into the files, atomically (text, Markdown and playbook files only).")
def rewrite(paths: tuple[str, ...], rule_dirs: tuple[str, ...], select: tuple[str, ...], ignore: tuple[str, ...],
            model: str | None, min_score: int | None, input_format: str | None, config_file: str | None,
            column: str | None, subject_column: str | None, id_column: str | None, extend_exclude: tuple[str, ...],
            force_exclude: bool, show_diff: bool, write: bool) -> None:
    """Print a value-first rewrite of each message; --diff shows it as a diff, --write writes it
    into the file. Files are written only with --write."""
    from checkin_lint.config import Resolver, expand_paths
    from checkin_lint.errors import EXIT_FINDINGS, InputError, Problem
    from checkin_lint.rewrite.files import NotWritable, file_diff, message_diff, write_rewrites
    from checkin_lint.runner import STDIN, display_name, lint_document, read_input

    try:
        config = _config(paths, config_file, rule_dirs, select, ignore, model, min_score, None, column, subject_column, id_column,
                         extend_exclude)
        resolver = Resolver(config_file, select=select, ignore=ignore, rule_dirs=rule_dirs, min_score=min_score, model=model,
                            column=column, subject_column=subject_column, id_column=id_column, extend_exclude=extend_exclude)
        files, unreadable = expand_paths(paths, config, force_exclude=force_exclude, config_for=resolver.for_path)
        # each file with the configuration closest to it: one linter per configuration
        linters = {id(group): _config_linter(group) for group, _ in resolver.groups(files)}
    except CheckinLintError as exc:
        _fail(exc)
        return
    problems = list(unreadable)
    for problem in unreadable:
        click.echo(f"error: {problem}", err=True)
    changed = 0
    for path in files:
        display = display_name(path)
        try:
            raw = read_input(path)
            file_config = resolver.for_path(path)
            document, reports, _ = lint_document(linters[id(file_config)], display, raw, input_format=input_format,
                                                 config=file_config)
        except InputError as exc:
            problems.extend(exc.problems)
            for problem in exc.problems:
                click.echo(f"error: {problem}", err=True)
            continue
        if show_diff and path != STDIN:
            try:
                diff = file_diff(display, document, reports)
            except NotWritable:
                pass  # a message that is not one span of its file: a diff per message below
            else:
                changed += bool(diff)
                click.echo(diff, nl=False)
                continue
        for i, report in enumerate(reports, 1):
            label = report.message.label or f"message {i}"
            if show_diff:
                diff = message_diff(display, label, report)
                changed += bool(diff)
                click.echo(diff, nl=False)
            elif not write:
                click.echo(f"==> {escape_path(display)}:{report.line}: {escape_text(label)} ({report.verdict}, score "
                           f"{report.score}; {report.rewrite.strategy})")
                click.echo(escape_lines(report.rewrite.text))
                if report.rewrite.dropped:
                    click.echo("  dropped: " + escape_text(" | ".join(report.rewrite.dropped)))
                click.echo()
        if write:
            try:
                if path == STDIN:
                    raise NotWritable("standard input cannot be written; use --diff or the printed rewrite")
                written = write_rewrites(path, raw, document, reports)
            except (NotWritable, OSError) as exc:
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                problems.append(Problem(display, f"not rewritten: {reason}"))
                click.echo(f"error: {problems[-1]}", err=True)
                continue
            if written:
                click.echo(f"rewrote {written} message{'s' * (written != 1)} in {display}", err=True)
    sys.exit(EXIT_ERROR if problems else EXIT_FINDINGS if show_diff and changed else 0)


@main.command("rules")
@rule_options
@config_option
@no_cache_option
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_rules(rule_dirs: tuple[str, ...], select: tuple[str, ...], ignore: tuple[str, ...], config_file: str | None,
               output_format: str) -> None:
    """List the rules the configuration selects, with their kind, family and weight, then the
    built-in checks (playbook, suppression) it keeps."""
    from checkin_lint.checks import CHECKS

    try:
        config = _config((), config_file, rule_dirs, select, ignore, None, None, None, None, None, None)
        ruleset = _config_ruleset(config)
    except CheckinLintError as exc:
        _fail(exc)
        return
    checks = [c for c in CHECKS.values() if config.enabled(c.id)]
    if output_format == "json":
        import json

        rows = [{"id": r.id, "name": r.name, "kind": r.kind, "family": r.family, "severity": r.severity,
                 "weight": r.weight, "fixable": bool(r.fix and r.fix.safe), "needs_model": r.needs_model}
                for r in ruleset.rules]
        rows += [{"id": c.id, "name": c.name, "kind": "check", "family": c.family, "severity": c.severity, "weight": 0, "fixable": False, "needs_model": False} for c in checks]
        click.echo(json.dumps(rows, indent=2))
        return
    width = max((len(r.id) for r in ruleset.rules), default=10)
    for r in ruleset.rules:
        sign = "+" if r.kind == "signal" else "-"
        fix = " (fix)" if r.fix and r.fix.safe else ""
        click.echo(f"{r.id:<{width}}  {r.kind:<12} {r.family:<16} {sign}{r.weight:<3} {r.name}{fix}")
    for c in checks:
        click.echo(f"{c.id:<{width}}  {'check':<12} {c.family:<16} {'':<4} {c.name}")
    kinds = [r.kind for r in ruleset.rules]
    click.echo(f"{len(kinds)} rules: {kinds.count('anti-pattern')} anti-patterns, {kinds.count('signal')} signals; "
               f"{len(checks)} built-in checks")


@main.command()
@click.argument("rule_id")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False), metavar="DIR",
              help="Extra rules directory in the built-in format (repeatable).")
@config_option
@no_cache_option
def explain(rule_id: str, rule_dirs: tuple[str, ...], config_file: str | None) -> None:
    """Show one rule or built-in check: message, rationale, suggestion and examples."""
    from checkin_lint.cache import cached_ruleset
    from checkin_lint.checks import CHECKS
    from checkin_lint.rules.loader import load_rules, selector_problem

    try:
        config = _config((), config_file, rule_dirs, (), (), None, None, None, None, None, None)
        ruleset = load_rules(config.rules) if _no_cache() else cached_ruleset(config.rules, lambda: load_rules(config.rules))
    except CheckinLintError as exc:
        _fail(exc)
        return
    rule = ruleset.get(rule_id)
    check = CHECKS.get(rule_id)
    if check is not None:
        click.echo(f"{check.id}: {check.name}")
        click.echo(f"kind: built-in check   family: {check.family}   severity: {check.severity}")
        click.echo(f"\nreports: {check.message}")
        click.echo(f"\nwhy: {check.rationale}")
        click.echo(f"\nsuggestion: {check.suggestion}")
        return
    if rule is None:
        problem = selector_problem(rule_id, [r.id for r in ruleset.rules] + list(CHECKS), noun="rule")
        raise click.UsageError(problem or f"{rule_id!r} is a prefix, not a rule; run 'checkin-lint rules --select {rule_id}'")
    family = ruleset.families[rule.family]
    click.echo(f"{rule.id}: {rule.name}")
    click.echo(f"kind: {rule.kind}   family: {rule.family} ({family.title})   "
               f"severity: {config.severity_for(rule.id) or rule.severity}   weight: {rule.weight}")
    click.echo(f"file: {rule.path}")
    click.echo(f"\nmessage: {rule.message}")
    if rule.rationale:
        click.echo(f"\nwhy: {rule.rationale}")
    click.echo(f"\nsuggestion: {rule.suggestion}")
    if rule.fix:
        click.echo(f"fix: {rule.fix.action} ({'safe' if rule.fix.safe else 'suggestion only'}, {rule.fix.when})")
    click.echo("\nmatches:")
    for example in rule.examples_match:
        click.echo(f"  - {example}")
    click.echo("does not match:")
    for example in rule.examples_no_match:
        click.echo(f"  - {example}")


def labelled_file_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options that read labelled files (``eval``, ``calibrate``): format, columns, ``--where``."""
    func = click.option("--where", "where", multiple=True, metavar="FIELD=VALUE",
                        help="Only messages whose FIELD equals VALUE (case-insensitive), e.g. agreed=true. Repeatable.")(func)
    func = click.option("--label-column", default="label", show_default=True,
                        help="CSV column (or JSON key) holding the label: checkin, value or mixed.")(func)
    func = click.option("--text-column", default="text", show_default=True,
                        help="CSV column (or JSON key) holding the message.")(func)
    func = click.option("--input-format", type=click.Choice(["jsonl", "csv", "tsv"]), default=None,
                        help="Format of the labelled files (default: .csv and .tsv by suffix, anything else JSON Lines).")(func)
    return func


def _labelled_setup(paths: tuple[str, ...], config_file: str | None, rule_dirs: tuple[str, ...],
                    select: tuple[str, ...], ignore: tuple[str, ...], model: str | None, min_score: int | None,
                    where: tuple[str, ...]) -> tuple[list[tuple[str, str]], Any]:
    """``eval`` and ``calibrate``: the ``--where`` conditions and the configuration's linter.
    A malformed condition is a usage error; a bad configuration exits as ``lint`` does."""
    from checkin_lint.evaluate import parse_where

    try:
        conditions = parse_where(where)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--where") from None
    try:
        config = _config(paths, config_file, rule_dirs, select, ignore, model, min_score, None, None, None, None)
        return conditions, _config_linter(config)
    except CheckinLintError as exc:
        _fail(exc)


@main.command("eval")
@click.argument("paths", nargs=-1, required=True, metavar="LABELLED... | -")
@linter_options
@config_option
@no_cache_option
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Output format.")
@labelled_file_options
@click.option("--group-by", default="kind", show_default=True, metavar="FIELD",
              help="Break the rates down by this field (a URL or repository path counts by its site or repository).")
def evaluate(paths: tuple[str, ...], rule_dirs: tuple[str, ...], select: tuple[str, ...], ignore: tuple[str, ...],
             model: str | None, min_score: int | None, config_file: str | None, output_format: str,
             input_format: str | None, text_column: str, label_column: str, group_by: str, where: tuple[str, ...]) -> None:
    """Measure the linter on labelled messages: confusion table, rates, misclassified ids.

    Each line of a JSON Lines file is an object with "text" and "label" (checkin, value or
    mixed) and optionally "id", "kind" and any other fields (for --group-by and --where).
    The configuration (rules, select, ignore, severity, min-score, scoring, model) applies as
    it does to ``lint``. Exit code 0, or 2 when an input had errors.
    """
    from checkin_lint.evaluate import evaluate_paths, render_json, render_text

    conditions, linter = _labelled_setup(paths, config_file, rule_dirs, select, ignore, model, min_score, where)
    result = evaluate_paths(linter, paths, input_format=input_format, text_column=text_column, label_column=label_column,
                            where=conditions, group_by=group_by)
    for problem in result.problems:
        click.echo(f"error: {problem}", err=True)
    (render_json if output_format == "json" else render_text)(result, sys.stdout)
    sys.exit(EXIT_ERROR if result.problems else 0)


@main.command("calibrate")
@click.argument("paths", nargs=-1, required=True, metavar="LABELLED... | -")
@rule_options
@config_option
@click.option("-o", "--output", "output_file", default=None, type=click.Path(dir_okay=False), metavar="FILE",
              help="Write the fitted scoring table to FILE (atomically); without it, print it.")
@click.option("--group-by", default=None, metavar="FIELD",
              help="Also report leave-one-group-out cross-validated rates, grouped by this field (e.g. source).")
@click.option("--l2", default=None, type=click.FloatRange(min=0),
              help="L2 penalty on the family weights [default: checkin_lint.calibrate.DEFAULT_L2, chosen by cross-validation].")
@labelled_file_options
def calibrate(paths: tuple[str, ...], rule_dirs: tuple[str, ...], select: tuple[str, ...], ignore: tuple[str, ...],
              config_file: str | None, output_file: str | None, group_by: str | None, where: tuple[str, ...], l2: float | None,
              input_format: str | None, text_column: str, label_column: str) -> None:
    """Fit the scoring table (family scales, base score) to labelled messages.

    Needs SciPy: pip install 'checkin-lint[calibrate]'. The fit is an ordinal logistic
    regression over family-level features (README, "Calibrating the score"). It prints the
    rates of the fitted table on the data it was fitted on and, with --group-by, the
    leave-one-group-out cross-validated rates (the honest figure). Name the written file
    with `scoring:` in the configuration to use it.
    """
    from checkin_lint.atomic import write_atomic
    from checkin_lint.calibrate import DEFAULT_L2, CalibrationError, collect, cross_validate, fit, render_yaml, verdicts
    from checkin_lint.evaluate import Evaluation, Outcome, read_examples, render_rates

    conditions, linter = _labelled_setup(paths, config_file, rule_dirs, select, ignore, None, None, where)
    names, examples, problems = read_examples(paths, input_format=input_format, text_column=text_column,
                                              label_column=label_column, where=conditions)
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    families, base = linter.families, linter.ruleset.scoring
    items = collect(linter, examples, group_by=group_by)
    l2 = DEFAULT_L2 if l2 is None else l2
    try:
        table = fit(items, families, base, l2=l2)
        figures = [("fitted on all messages (in-sample)", verdicts(items, families, table))]
        if group_by:
            figures.insert(0, (f"leave-one-{group_by}-out cross-validation", cross_validate(items, families, base, l2=l2)))
    except CalibrationError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    for title, found in figures:
        result = Evaluation(names, [Outcome(i.example, v, 0, ()) for i, v in zip(items, found)])
        click.echo(f"{title}, {len(items)} messages:", err=True)
        render_rates(result, sys.stderr)
    header = (f"Fitted by checkin-lint calibrate on {len(items)} labelled messages ({', '.join(names)}), "
              f"l2={l2}.\nName this file with `scoring:` in the configuration.")
    document = render_yaml(table, header=header)
    if output_file:
        write_atomic(output_file, document.encode("utf-8"))
        click.echo(f"wrote {output_file}", err=True)
    else:
        click.echo(document, nl=False)
    sys.exit(EXIT_ERROR if problems else 0)
