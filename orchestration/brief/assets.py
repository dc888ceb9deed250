"""The one JavaScript bundle the page inlines: Vega, Vega-Lite and Vega-Embed, as shipped by
vl-convert-python (no network, no CDN), in the Vega-Lite version Altair writes specs for.

vl-convert assembles the bundle on first use (about 2 s); it is cached on disk, named by the
versions, so a nightly build reads it in milliseconds.
"""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
from importlib.metadata import version
from pathlib import Path


def vegalite_version() -> str:
    """The Vega-Lite version of Altair's schema, in the form vl-convert takes ("6.4")."""
    import altair as alt

    return ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])


def bundle_name() -> str:
    return f"vega-embed-vlc{version('vl-convert-python')}-vl{vegalite_version()}.js"


@functools.cache
def _bundle() -> str:
    import vl_convert as vlc

    return vlc.javascript_bundle(vl_version=vegalite_version())


def vega_bundle(cache_dir: Path | None = None) -> str:
    """The bundle's JavaScript, safe to put inside a <script> element."""
    path = cache_dir / bundle_name() if cache_dir else None
    if path is not None and path.exists():
        return path.read_text(encoding="utf-8")
    script = _bundle().replace("</script", "<\\/script").replace("<!--", "<\\!--")
    if path is not None:
        with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".bundle-")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(script)
            os.replace(tmp, path)
    return script
