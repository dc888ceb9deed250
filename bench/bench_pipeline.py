"""Benchmark the nightly pipeline's stages on the bundled demo site, in one process, one run.

    .venv/bin/python bench/bench_pipeline.py [--repeat 3] [--json OUT]

Reports wall-clock seconds per stage (median of --repeat runs, each on a fresh warehouse under a
temporary folder) and the ratios that matter on a shared, noisy machine:

- scrape with the politeness delay the shipped sources.yml uses vs with no delay (the cost of
  being polite), and a second scrape of the same night vs the first (conditional GET: 304s and
  no new archive writes);
- parse, extract and dbt build for the night;
- a second dbt build vs the first (nothing changed).

Timings are never asserted in tests; read them as ratios measured together.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NIGHT = date(2026, 3, 8)


def _dbt_build(warehouse_root: Path) -> None:
    import subprocess

    from orchestration.defs.dbt_project import DBT_PROJECT_DIR, dbt_env, dbt_executable

    subprocess.run(
        [dbt_executable(), "build", "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir",
         str(DBT_PROJECT_DIR), "--vars", json.dumps({"as_of_date": NIGHT.isoformat()}),
         "--exclude", "test_type:unit", "--target-path", str(warehouse_root / "dbt_target"),
         "--log-path", str(warehouse_root / "dbt_logs"), "--quiet"],
        check=True, env=dbt_env(warehouse_root),
    )  # fmt: skip


def one_run(delay: float) -> dict[str, float]:
    from orchestration.config import SourceConfig, SourcesConfig, load_sources
    from orchestration.stages import extract_night, get_extractor, parse_night, scrape_night
    from orchestration.warehouse import Warehouse

    shipped = load_sources(REPO / "sources.yml")
    config = SourcesConfig(
        path=shipped.path,
        settings=shipped.settings,
        sources=[SourceConfig(name="Demo", kind="demo", min_delay_seconds=delay)],
    )
    get_extractor()  # the model loads once per process, outside the timings
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        wh = Warehouse(Path(tmp) / "wh")

        def timed(name: str, fn) -> None:
            started = time.perf_counter()
            fn()
            out[name] = time.perf_counter() - started

        timed("scrape", lambda: scrape_night(config, wh, NIGHT, progress=lambda _m: None))
        timed("scrape_again", lambda: scrape_night(config, wh, NIGHT, progress=lambda _m: None))
        timed("parse", lambda: parse_night(wh, NIGHT))
        timed("extract", lambda: extract_night(wh, NIGHT))
        timed("dbt_build", lambda: _dbt_build(wh.root))
        timed("dbt_build_again", lambda: _dbt_build(wh.root))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from orchestration.config import load_sources

    polite_delay = load_sources(REPO / "sources.yml").sources[0].min_delay_seconds or 0.0
    polite = [one_run(polite_delay) for _ in range(args.repeat)]
    eager = [one_run(0.0) for _ in range(args.repeat)]
    med = {k: statistics.median(r[k] for r in polite) for k in polite[0]}
    med_eager = {k: statistics.median(r[k] for r in eager) for k in eager[0]}
    figures = {
        "seconds_polite": med,
        "seconds_no_delay": med_eager,
        "ratio_scrape_polite_vs_no_delay": med["scrape"] / med_eager["scrape"],
        "ratio_scrape_again_vs_first": med["scrape_again"] / med["scrape"],
        "ratio_dbt_again_vs_first": med["dbt_build_again"] / med["dbt_build"],
        "polite_delay_seconds": polite_delay,
        "repeat": args.repeat,
    }
    print(f"median of {args.repeat} runs on the demo site (37 articles, one host):")
    for k, v in med.items():
        print(f"  {k:<16} {v:6.2f} s   (no delay: {med_eager[k]:6.2f} s)")
    print(
        f"  scrape, polite ({polite_delay:g} s per host) / no delay: "
        f"{figures['ratio_scrape_polite_vs_no_delay']:.2f}"
    )
    again = figures["ratio_scrape_again_vs_first"]
    print(f"  scrape of the same night again / first:      {again:.2f}")
    print(
        f"  dbt build again / first:                     {figures['ratio_dbt_again_vs_first']:.2f}"
    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
