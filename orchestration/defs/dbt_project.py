"""The dbt project, located for Dagster. Kept in a module of its own, with absolute imports, so
`dagster-dbt project prepare-and-package --file orchestration/defs/dbt_project.py` can load it.

The manifest is parsed when it is missing (a fresh clone, CI) or older than the project's files:
`dbt parse` takes a few seconds.
"""

import os
import subprocess
import sys
from pathlib import Path

from dagster_dbt import DbtProject

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"


def dbt_executable() -> str:
    """dbt from this Python's environment (dagster-dbt looks only on PATH otherwise)."""
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


def dbt_env(warehouse_dir: str | os.PathLike[str] | None = None) -> dict[str, str]:
    env = {
        **os.environ,
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    if warehouse_dir is not None:
        env["NEWSCLAIMS_WAREHOUSE"] = str(warehouse_dir)
    return env


newsclaims_dbt = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def _newest_source_mtime() -> float:
    newest = 0.0
    for folder in ("models", "macros", "seeds", "snapshots", "tests"):
        for path in (DBT_PROJECT_DIR / folder).rglob("*"):
            if path.suffix in (".sql", ".yml", ".yaml", ".csv"):
                newest = max(newest, path.stat().st_mtime)
    for name in ("dbt_project.yml", "profiles.yml"):
        newest = max(newest, (DBT_PROJECT_DIR / name).stat().st_mtime)
    return newest


def ensure_manifest() -> Path:
    """The manifest Dagster builds the dbt assets from; parse the project when it is missing or
    older than any model, test, seed, macro or YAML file."""
    manifest = newsclaims_dbt.manifest_path
    if not manifest.exists() or _newest_source_mtime() > manifest.stat().st_mtime:
        subprocess.run(
            [dbt_executable(), "parse", "--project-dir", str(DBT_PROJECT_DIR),
             "--profiles-dir", str(DBT_PROJECT_DIR), "--quiet"],
            check=True,
            env=dbt_env(),
            cwd=DBT_PROJECT_DIR,
        )  # fmt: skip
    return manifest
