"""Take the README's picture of the morning brief: the top of DIR/published/brief/index.html in
the system's Chromium, 1200 px wide, saved as a small PNG (pngquant or optipng when installed).

    .venv/bin/python scripts/screenshot_brief.py [--warehouse DIR] [--out docs/brief.png]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.browser import find_chromium, launch  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, default=ROOT / "warehouse")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "brief.png")
    parser.add_argument("--width", type=int, default=1200)
    parser.add_argument("--height", type=int, default=1500)
    args = parser.parse_args()
    page_path = args.warehouse / "published" / "brief" / "index.html"
    if not page_path.exists():
        print(f"no brief at {page_path}: run `bash scripts/demo` first", file=sys.stderr)
        return 1
    executable = find_chromium()
    if executable is None:
        print("no Chromium found: apt-get install chromium", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p, executable)
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        page.goto(page_path.resolve().as_uri())
        page.evaluate("window.briefChartsDone")
        page.screenshot(path=str(args.out))
        browser.close()
    if shutil.which("pngquant"):
        subprocess.run(
            ["pngquant", "--force", "--skip-if-larger", "--quality=70-95", "--output",
             str(args.out), str(args.out)],
            check=False,
        )  # fmt: skip
    elif shutil.which("optipng"):
        subprocess.run(["optipng", "-quiet", "-o5", str(args.out)], check=False)
    print(f"{args.out} ({args.out.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
