"""The morning brief: a static page built from the published marts at every publish
(DIR/published/brief/index.html). No Dagster imports here."""

from orchestration.brief.build import PAGE, Brief, build_brief

__all__ = ["PAGE", "Brief", "build_brief"]
