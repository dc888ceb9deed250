"""A real night at 250, 500 and 1,000 articles: the pipeline against the bare cost of its parts.

    .venv/bin/python bench/bench_real_night.py [--sizes 250 500 1000] [--json OUT]

For each size N, in one session on one machine:

1. N real articles (PolNeAR, `../shared/corpora/polnear-train/text`, read in place) are served
   as a news site with an RSS feed on 127.0.0.1 (bench/real_site.py), with no politeness delay;
2. `newsclaims run` runs the whole night from scratch on a fresh warehouse: wall-clock seconds,
   each stage's seconds (from the run's DIR/logs/last_run.json) and the peak memory of the run's
   process tree (the sum of the resident sets of all its processes, sampled every 0.1 s);
3. `newsclaims run` again for the same night (nothing changed: the no-op rerun);
4. at the sizes given by --identical-at (default 500), a second run from scratch on another
   fresh warehouse, and the published marts of all three runs compared row for row (the
   digests of bench/real_site.py's `marts_digest`): they must be identical;
5. the bare parts on the same pages: trafilatura's `extract` on each page's HTML, then spaCy's
   `nlp.pipe(texts, n_process=2)` with the same model on the texts trafilatura gave.

It prints, per size: the full run, its ratio to the bare parts, each stage's share of the run,
peak memory, the no-op rerun's share of the full run and whether the builds were identical
(exit status 1 if they were not). Timings are never asserted in tests;
read them as ratios measured together, on the same machine, in the same session.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
NIGHT = "2026-12-01"


def _tree_rss(root: int) -> tuple[int, list[tuple[int, str]]]:
    """Resident bytes of a process and all its descendants (Linux /proc), and each process's
    share (resident bytes, the start of its command line)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ppid = int(fields[1])
            with open(f"/proc/{entry}/statm") as f:
                rss[int(entry)] = int(f.read().split()[1]) * page
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    total, todo, parts = 0, [root], []
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        parts.append(pid)
        todo.extend(children.get(pid, []))
    return total, [(rss.get(pid, 0), _cmdline(pid)) for pid in parts]


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode("utf-8", "replace")[:120]
    except OSError:
        return "?"


def run_night(warehouse: Path, sources: Path) -> dict:
    """`newsclaims run` as a user would run it; its wall time, stages and peak memory."""
    cmd = [str(Path(sys.executable).parent / "newsclaims"), "run", "--date", NIGHT,
           "--warehouse", str(warehouse), "--sources", str(sources), "--quiet"]  # fmt: skip
    began = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak, at_peak = 0, []
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, at_peak
        while not done.wait(0.1):
            total, parts = _tree_rss(proc.pid)
            if total > peak:
                peak, at_peak = total, parts

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    done.set()
    sampler.join()
    seconds = time.monotonic() - began
    if proc.returncode != 0:
        raise RuntimeError(f"newsclaims run failed ({proc.returncode}):\n{out[-3000:]}")
    last = json.loads((warehouse / "logs" / "last_run.json").read_text())
    return {"seconds": seconds, "stages": last["stages"], "peak_rss_mb": peak / 2**20,
            "at_peak": sorted(((round(r / 2**20), c) for r, c in at_peak), reverse=True),
            "output": out}  # fmt: skip


def bare_parts(urls: list[str], model: str) -> dict:
    """trafilatura on the pages, then spaCy with two processes on the texts."""
    import spacy
    import trafilatura

    pages = [urllib.request.urlopen(u, timeout=30).read().decode("utf-8") for u in urls]  # noqa: S310 - loopback
    began = time.monotonic()
    texts = [trafilatura.extract(p) or "" for p in pages]
    t_traf = time.monotonic() - began
    nlp = spacy.load(model)
    began = time.monotonic()
    # batches of 32, so both processes get work (with spaCy's default of 1,000 texts a batch,
    # one process would take a whole night of 1,000 articles and the other idle)
    for _ in nlp.pipe(texts, n_process=2, batch_size=32):
        pass
    t_spacy = time.monotonic() - began
    return {"trafilatura": t_traf, "spacy": t_spacy, "words": sum(len(t.split()) for t in texts)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[250, 500, 1000])
    ap.add_argument("--json", type=Path, help="write the figures here too")
    ap.add_argument(
        "--identical-at", type=int, nargs="*", default=[500],
        help="sizes at which a second build from scratch is compared (default 500)",
    )  # fmt: skip
    args = ap.parse_args()
    from real_site import RealSite, marts_digest

    from orchestration.extract.pipeline import default_model

    model = default_model()
    figures = []
    for n in args.sizes:
        with RealSite(n) as site, tempfile.TemporaryDirectory(prefix=f"night-{n}-") as tmp:
            sources = Path(tmp) / "sources.yml"
            sources.write_text(site.sources_yaml())
            full = run_night(Path(tmp) / "wh", sources)
            first = marts_digest(Path(tmp) / "wh" / "published")
            noop = run_night(Path(tmp) / "wh", sources)
            identical = None
            if n in args.identical_at:
                digest = marts_digest(Path(tmp) / "wh" / "published")
                run_night(Path(tmp) / "wh2", sources)
                again = marts_digest(Path(tmp) / "wh2" / "published")
                identical = first == digest == again
                if not identical:
                    print(f"DIFFERENT MARTS at {n}:", {m: (digest[m], again.get(m))
                          for m in digest if digest[m] != again.get(m)}, flush=True)  # fmt: skip
            bare = bare_parts(site.page_urls(), model)
        bare_total = bare["trafilatura"] + bare["spacy"]
        row = {
            "articles": n,
            "full_s": round(full["seconds"], 1),
            "bare_s": round(bare_total, 1),
            "ratio_to_bare": round(full["seconds"] / bare_total, 2),
            "noop_s": round(noop["seconds"], 1),
            "noop_share": round(noop["seconds"] / full["seconds"], 3),
            "peak_rss_mb": round(full["peak_rss_mb"]),
            "identical_marts": identical,
            "processes_at_peak_mb": full["at_peak"],
            "stage_share": {k: round(v / full["seconds"], 3) for k, v in full["stages"].items()},
            "stages_s": full["stages"],
            "noop_stages_s": noop["stages"],
            "bare": {k: round(v, 2) for k, v in bare.items()},
        }
        figures.append(row)
        print(json.dumps(row), flush=True)
    print()
    print(f"{'articles':>8} {'full s':>8} {'bare s':>8} {'x bare':>7} {'no-op s':>8} "
          f"{'no-op %':>8} {'peak MB':>8} {'same':>5}  stage shares")  # fmt: skip
    for r in figures:
        shares = ", ".join(f"{k} {v:.0%}" for k, v in r["stage_share"].items())
        head = f"{r['articles']:>8} {r['full_s']:>8} {r['bare_s']:>8} {r['ratio_to_bare']:>7}"
        same = {None: "-", True: "yes", False: "NO"}[r["identical_marts"]]
        tail = f"{r['noop_s']:>8} {r['noop_share']:>8.1%} {r['peak_rss_mb']:>8} {same:>5}"
        print(f"{head} {tail}  {shares}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 1 if any(r["identical_marts"] is False for r in figures) else 0


if __name__ == "__main__":
    sys.exit(main())
