"""A real Chromium for page tests, driven by Playwright: the system's Chromium (Debian's
`chromium` package), never a browser Playwright downloads itself.

`find_chromium()` looks at $NEWSCLAIMS_CHROMIUM, then the usual names on PATH and paths; the
tests skip, saying so, only when none is found.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PATHS = ("/usr/bin/chromium", "/usr/lib/chromium/chromium", "/snap/bin/chromium")


def find_chromium() -> str | None:
    wanted = os.environ.get("NEWSCLAIMS_CHROMIUM")
    if wanted:
        return wanted if Path(wanted).exists() else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return next((p for p in PATHS if Path(p).exists()), None)


def launch(playwright, executable: str):
    """Headless Chromium with no network beyond this machine: any host but the loopback
    resolves to nothing, so a request that slipped past the request log would fail too."""
    return playwright.chromium.launch(
        executable_path=executable,
        headless=True,
        args=["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost"],
    )


@dataclass
class PageLog:
    """What a page did: console messages, uncaught errors, and every request's URL."""

    console: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def attach(self, page) -> PageLog:
        page.on("console", lambda m: self.console.append((m.type, m.text)))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))
        return self

    @property
    def console_errors(self) -> list[str]:
        return [text for kind, text in self.console if kind == "error"]

    @property
    def foreign_requests(self) -> list[str]:
        """Requests for anything but a local file or inline data."""
        return [u for u in self.requests if not u.startswith(("file://", "data:"))]
