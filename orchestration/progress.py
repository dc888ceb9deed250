"""What a run is doing, as one line of JSON per event in a file the person running it can follow.

The stages write events (a stage starts, a stage ends with its counts, N pages done) to the
run's progress file; `newsclaims run` follows that file and prints one line per stage start and
end and a progress bar over the pages of parse and extract. Steps may run in other processes
(Dagster's multiprocess executor) or not at all on this machine: a small append to one file is
the one channel all of them share, so the file is only written when a path was given (the run's
tag `newsclaims/progress_file`) and writing it can never fail a stage.

No Dagster imports here.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

PROGRESS_TAG = "newsclaims/progress_file"


class Progress:
    """Appends events to `path` (nothing at all when `path` is None)."""

    def __init__(self, path: str | os.PathLike | None) -> None:
        self.path = Path(path) if path else None

    def emit(self, event: str, stage: str, **fields) -> None:
        if self.path is None:
            return
        line = json.dumps({"t": time.time(), "event": event, "stage": stage, **fields},
                          default=str) + "\n"  # fmt: skip
        try:  # one write of a short line in append mode: whole lines, even from many processes
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, line.encode("utf-8"))
            finally:
                os.close(fd)
        except OSError:
            pass  # progress is a courtesy: a full disk must not fail the stage for it

    def start(self, stage: str, **fields) -> None:
        self.emit("start", stage, **fields)

    def end(self, stage: str, **fields) -> None:
        self.emit("end", stage, **fields)

    def advance(self, stage: str, n: int = 1) -> None:
        self.emit("advance", stage, n=n)

    @contextmanager
    def stage(self, stage: str, **fields) -> Iterator[dict]:
        """Start and end events around a block; the block fills the dict with its counts."""
        counts: dict = {}
        began = time.monotonic()
        self.start(stage, **fields)
        try:
            yield counts
        except BaseException as exc:
            self.end(stage, failed=f"{type(exc).__name__}: {exc}"[:300],
                     seconds=round(time.monotonic() - began, 2), **fields)  # fmt: skip
            raise
        self.end(stage, seconds=round(time.monotonic() - began, 2), **fields, **counts)


def _describe(fields: dict) -> str:
    skip = {"t", "event", "stage", "seconds", "failed", "total", "label"}
    return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in fields.items() if k not in skip)


class Follower:
    """Follows a progress file in a background thread and prints it for a person: a line per
    stage start and end, and (on a terminal) a progress bar while pages are processed.
    Every event is also kept, in order, in `events` (the run's timings, for `last_run.json`)."""

    def __init__(self, path: Path, out: IO[str] | None = None, interval: float = 0.2) -> None:
        self.path = Path(path)
        self.out = out or sys.stderr
        self.interval = interval
        self.events: list[dict] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="progress", daemon=True)
        self._offset = 0
        self._bars: dict[str, object] = {}

    def __enter__(self) -> Follower:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._read()  # the last events
        for bar in self._bars.values():
            bar.close()  # type: ignore[attr-defined]

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self._read()

    def _read(self) -> None:
        try:
            with open(self.path, "rb") as f:
                f.seek(self._offset)
                chunk = f.read()
        except FileNotFoundError:
            return
        end = chunk.rfind(b"\n") + 1  # only whole lines
        self._offset += end
        for raw in chunk[:end].splitlines():
            try:
                event = json.loads(raw)
            except ValueError:
                continue
            self.events.append(event)
            self._show(event)

    def _print(self, text: str) -> None:
        if self._bars:
            from tqdm import tqdm

            tqdm.write(text, file=self.out)
        else:
            print(text, file=self.out, flush=True)

    def _show(self, e: dict) -> None:
        stage, kind = e.get("stage", "?"), e.get("event")
        label = e.get("label") or stage
        clock = time.strftime("%H:%M:%S", time.localtime(e.get("t", time.time())))
        if kind == "start":
            detail = _describe(e)
            self._print(f"{clock}  start  {label}" + (f": {detail}" if detail else ""))
            total = e.get("total")
            if total and self.out.isatty() and stage not in self._bars:
                from tqdm import tqdm

                self._bars[stage] = tqdm(total=total, desc=label, unit="page", file=self.out,
                                         leave=False, dynamic_ncols=True)  # fmt: skip
        elif kind == "advance":
            bar = self._bars.get(stage)
            if bar is not None:
                bar.update(e.get("n", 1))  # type: ignore[attr-defined]
        elif kind == "end":
            bar = self._bars.pop(stage, None)
            if bar is not None:
                bar.close()  # type: ignore[attr-defined]
            seconds = e.get("seconds")
            took = f" in {seconds:.1f} s" if isinstance(seconds, int | float) else ""
            if e.get("failed"):
                self._print(f"{clock}  FAILED {label}{took}: {e['failed']}")
            else:
                detail = _describe(e)
                self._print(f"{clock}  done   {label}{took}" + (f": {detail}" if detail else ""))

    def stage_seconds(self) -> dict[str, float]:
        """Each stage's wall-clock seconds, from its first start to its last end (a stage that
        runs in several shards at once counts once, as elapsed time)."""
        first: dict[str, float] = {}
        last: dict[str, float] = {}
        for e in self.events:
            if e.get("event") == "start":
                first.setdefault(e["stage"], e["t"])
            elif e.get("event") == "end":
                last[e["stage"]] = e["t"]
        return {s: round(last[s] - first[s], 3) for s in first if s in last}
