"""The `newsclaims` command.

    newsclaims run [--sources FILE] [--warehouse DIR] [--date YYYY-MM-DD]

runs the nightly pipeline in-process through Dagster for one night and prints a summary.
"""

from __future__ import annotations

import argparse
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


def cmd_run(args: argparse.Namespace) -> int:
    _quiet_telemetry()
    night = _night(args.date)
    sources_file = resolve_sources_file(args.sources)
    warehouse_dir = resolve_warehouse_dir(args.warehouse)
    try:
        load_sources(sources_file)  # fail early, with the clear message, before Dagster starts
    except ConfigError as exc:
        print(f"newsclaims: invalid configuration\n{exc}", file=sys.stderr)
        return 2

    import dagster as dg

    from orchestration.definitions import NIGHTLY_JOB, build_definitions
    from orchestration.warehouse import Warehouse, night_summary

    print(
        f"newsclaims: night {night}, sources {sources_file}, warehouse {warehouse_dir}",
        file=sys.stderr,
    )
    defs = build_definitions(warehouse_dir=str(warehouse_dir), sources_file=str(sources_file))
    job = defs.resolve_job_def(NIGHTLY_JOB)
    instance = (
        dg.DagsterInstance.get()
        if os.environ.get("DAGSTER_HOME")
        else dg.DagsterInstance.ephemeral()
    )
    with instance:
        result = job.execute_in_process(
            partition_key=night.isoformat(),
            instance=instance,
            raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
        )
    if not result.success:
        print(
            f"newsclaims: the run for {night} failed (Dagster run {result.run_id}).",
            file=sys.stderr,
        )
        for event in result.all_events:
            if event.is_step_failure and event.step_failure_data and event.step_failure_data.error:
                err = event.step_failure_data.error
                print(f"  step {event.step_key}: {err.message.strip()}", file=sys.stderr)
        return 1
    _print_summary(night_summary(Warehouse(warehouse_dir), night), night)
    print(f"\nWarehouse: {Warehouse(warehouse_dir).db_path}")
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
    run.set_defaults(func=cmd_run)
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
