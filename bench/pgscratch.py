"""A benchmark's child interpreter on a scratch PostgreSQL database, created and dropped here.

The server is `SAMPARK_BENCH_PG_ADMIN`, else that of a postgres `DATABASE_URL`, else
127.0.0.1:5432 as postgres. With no server answering, the benchmark prints a "skipped" line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]


def pg_admin_url() -> str:
    url = os.environ.get("SAMPARK_BENCH_PG_ADMIN")
    if url:
        return url
    configured = os.environ.get("DATABASE_URL", "")
    if configured.startswith(("postgres://", "postgresql://")):
        return urlunsplit(urlsplit(configured)._replace(path="/postgres"))
    return "postgres://postgres@127.0.0.1:5432/postgres"


def pg_admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)


def pg_scratch_run(
    *, bench: str, database: str, script: str, args: list[str], env: dict[str, str] | None = None
) -> dict:
    """Run `script --child ARGS` against a fresh database `database`; its last stdout line is
    the JSON result."""
    admin = pg_admin_url()
    try:
        pg_admin(admin, f"DROP DATABASE IF EXISTS {database}")
    except Exception as error:  # no server: the benchmark cannot run here
        return {"bench": bench, "skipped": f"no PostgreSQL at {admin}: {error}"}
    pg_admin(admin, f"CREATE DATABASE {database}")
    try:
        child_env = {
            **os.environ,
            "DATABASE_URL": urlunsplit(urlsplit(admin)._replace(path=f"/{database}")),
            "DJANGO_SETTINGS_MODULE": "sampark.config.settings.local",
            "SAMPARK_DEBUG": "false",
            "SAMPARK_LOG_LEVEL": "WARNING",
            **(env or {}),
        }
        command = [sys.executable, script, "--child", *args]
        proc = subprocess.run(command, env=child_env, cwd=ROOT, capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(f"{bench} failed:\n{proc.stderr[-4000:]}")
        return json.loads(proc.stdout.strip().splitlines()[-1])
    finally:
        pg_admin(admin, f"DROP DATABASE IF EXISTS {database}")
