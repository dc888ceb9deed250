"""Where the warehouse and the sources file are. Resolved when used, never at import time."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from orchestration.config import resolve_sources_file, resolve_warehouse_dir
from orchestration.warehouse import Warehouse


class NewsclaimsSettings(dg.ConfigurableResource):
    """`warehouse_dir`: else $NEWSCLAIMS_WAREHOUSE, else ./warehouse.
    `sources_file`: else $NEWSCLAIMS_SOURCES, else ./sources.yml."""

    warehouse_dir: str | None = None
    sources_file: str | None = None

    def warehouse(self) -> Warehouse:
        return Warehouse(resolve_warehouse_dir(self.warehouse_dir))

    def sources_path(self) -> Path:
        return resolve_sources_file(self.sources_file)
