"""Outage fan-out vs a hand-written `INSERT ... SELECT` of the same rows, on SQLite and PostgreSQL.

    .venv/bin/python bench/bench_fanout.py [--consumers 50000] [--storm 1000000]
                                           [--databases sqlite,postgres] [--rounds 3]

Each measurement runs in its own interpreter on its own scratch database (a temporary SQLite
file; a PostgreSQL database `sampark_bench` at 127.0.0.1:5432 created and dropped by this
script, `SAMPARK_BENCH_PG` to point elsewhere), migrated and loaded untimed:

- fanout: one substation whose 20 feeders carry N consumers (all with a mobile; ~25% WhatsApp,
  ~65% SMS only, ~10% no consent; 80% Hindi). Timed, alternately, `--rounds` times each:
  (a) baseline: one hand-written `INSERT INTO notifications_notification ... SELECT ... FROM
      consumers_consumer` of exactly the rows the fan-out writes, plus its commit;
  (b) `outage_declare` on that substation, its fan-out task run at commit (django.tasks
      immediate backend), until every notification row is committed.
  The outbox is emptied (untimed) before each run; the best run of each is reported.
- storm: 20 such substations (20 x N/20... scaled to --storm consumers), one outage declared per
  substation; reports the time, the rows and the peak RSS next to the RSS before the storm and
  the fan-out phase's peak (memory must not grow with the number of consumers).
Prints one JSON line per measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = os.environ.get("SAMPARK_BENCH_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")
PG_NAME = "sampark_bench"
FEEDERS_PER_SUBSTATION = 20
CONSUMERS_PER_DT = 100


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# --- parent ----------------------------------------------------------------------------------


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(sql)


def phase_run(phase: str, *, database: str, url: str, consumers: int, rounds: int) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "sampark.config.settings.local",
        "SAMPARK_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "SAMPARK_DEBUG": "false",
        "SAMPARK_LOG_LEVEL": "WARNING",
    }
    command = [
        sys.executable,
        __file__,
        "--phase",
        phase,
        "--consumers",
        str(consumers),
        "--rounds",
        str(rounds),
    ]
    proc = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{database} {phase} failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def database_run(database: str, *, consumers: int, storm: int, rounds: int) -> list[dict]:
    results = []
    with tempfile.TemporaryDirectory(prefix="bench_fanout_") as tmp:
        for phase, n in (("fanout", consumers), ("storm", storm)):
            if not n:
                continue
            if database == "sqlite":
                url = f"sqlite:///{Path(tmp) / f'{phase}.sqlite3'}"
            else:
                pg_admin(f"DROP DATABASE IF EXISTS {PG_NAME}")
                pg_admin(f"CREATE DATABASE {PG_NAME}")
                url = PG_ADMIN.rsplit("/", 1)[0] + f"/{PG_NAME}"
            try:
                found = phase_run(phase, database=database, url=url, consumers=n, rounds=rounds)
            finally:
                if database == "postgres":
                    pg_admin(f"DROP DATABASE IF EXISTS {PG_NAME}")
            results.append({"database": database, **found})
    return results


# --- child -----------------------------------------------------------------------------------


def network_build(*, consumers: int) -> list[str]:
    """State > discom > zone > circle > division > sub-division; substations of 20 feeders x
    DTs of 100 consumers, N consumers in all. Returns the substation codes."""
    from django.db import connection, transaction
    from django.utils import timezone

    from sampark.consumers.models import Consumer
    from sampark.core.db import rows_insert
    from sampark.network.models import (
        DistributionTransformer,
        Feeder,
        OrgLevel,
        Substation,
    )
    from sampark.testing.factories import org_add

    per_substation = min(consumers, 50_000)
    substations = max(1, consumers // per_substation)
    dts_per_feeder = max(1, -(-per_substation // (FEEDERS_PER_SUBSTATION * CONSUMERS_PER_DT)))
    with transaction.atomic():
        node = org_add(None, level=OrgLevel.STATE, code="UPPCL", name="UPPCL")
        chain = [
            (OrgLevel.DISCOM, "MVVNL", {"complaint_prefix": "MV"}),
            (OrgLevel.ZONE, "Z-LKO", {}),
            (OrgLevel.CIRCLE, "C-LKO", {}),
            (OrgLevel.DIVISION, "D-LKO", {}),
            (OrgLevel.SUBDIVISION, "SD-LKO", {}),
        ]
        for level, code, extra in chain:
            node = org_add(node, level=level, code=code, name=code, **extra)
        subdivision = node
        codes = []
        for s in range(substations):
            ss = Substation.objects.create(
                code=f"SS-{s:03d}", name_en=f"Bench {s}", subdivision=subdivision
            )
            codes.append(ss.code)
            feeders = Feeder.objects.bulk_create(
                Feeder(
                    code=f"F-{s:03d}-{f:02d}",
                    name_en=f"Feeder {f}",
                    substation=ss,
                    area_type="URBAN",
                )
                for f in range(FEEDERS_PER_SUBSTATION)
            )
            DistributionTransformer.objects.bulk_create(
                DistributionTransformer(code=f"{fd.code}-{d:03d}", name=f"DT {d}", feeder=fd)
                for fd in feeders
                for d in range(dts_per_feeder)
            )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        dts = list(DistributionTransformer.objects.order_by("id").values_list("id", "feeder_id"))

        def rows():
            n = 0
            for dt_id, feeder_id in dts:
                for _ in range(CONSUMERS_PER_DT):
                    if n >= consumers:
                        return
                    r = n % 20
                    yield (
                        now,
                        now,
                        f"{3_000_000_000 + n}",
                        f"Consumer {n}",
                        f"+9194150{n % 100_000:05d}",
                        "en" if n % 5 == 0 else "hi",
                        r < 5,  # WhatsApp
                        r < 18,  # SMS (those below 5 too)
                        dt_id,
                        feeder_id,
                        subdivision.pk,
                        "URBAN",
                        False,
                        "",
                        "domestic",
                        "",
                    )
                    n += 1

        columns = [
            "created_at",
            "updated_at",
            "account_number",
            "name",
            "mobile",
            "language",
            "consent_whatsapp",
            "consent_sms",
            "dt_id",
            "feeder_id",
            "subdivision_id",
            "area_type",
            "is_a_class",
            "email",
            "category",
            "address",
        ]
        rows_insert(model=Consumer, columns=columns, rows=rows())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return codes


def outbox_empty() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE notifications_notification")
        else:
            cursor.execute("DELETE FROM notifications_notification")


def baseline_insert(*, substation_code: str) -> int:
    """The hand-written statement: same rows, same texts, same columns as the fan-out."""
    from django.db import connection, transaction
    from django.utils import timezone

    from sampark.network.models import Substation
    from sampark.notifications.models import Notification
    from sampark.notifications.templates import template_render

    substation = Substation.objects.get(code=substation_code)
    variables = {
        "hi": {"area": f"{substation.name_en} उपकेंद्र", "reason": "11 केवी फीडर ट्रिप", "etr": "x"},
        "en": {"area": f"{substation.name_en} substation", "reason": "feeder tripped", "etr": "x"},
    }
    texts = {
        lang: template_render(key="outage_declared", language=lang, variables=values)
        for lang, values in variables.items()
    }
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    json_type = "::jsonb" if connection.vendor == "postgresql" else ""
    field = Notification._meta.get_field("variables")
    hi_vars = field.get_db_prep_save(variables["hi"], connection)
    en_vars = field.get_db_prep_save(variables["en"], connection)
    known = {
        "topic", "event", "channel", "recipient", "consumer_id", "template_key", "language",
        "text", "variables", "dlt_template_id", "dlt_entity_id", "segments", "urgent", "status",
        "attempts", "next_attempt_at", "last_error", "provider", "provider_message_id",
        "created_at",
    }  # fmt: skip
    extra = [
        f
        for f in Notification._meta.concrete_fields
        if not f.primary_key and not f.null and f.attname not in known
    ]
    sql = (
        "INSERT INTO notifications_notification (topic, event, channel, recipient, consumer_id, "
        "template_key, language, text, variables, dlt_template_id, dlt_entity_id, segments, "
        "urgent, status, attempts, next_attempt_at, last_error, provider, provider_message_id, "
        f"created_at{''.join(', ' + f.column for f in extra)}) "
        "SELECT 'outage:0', 'declared', "
        "CASE WHEN c.consent_whatsapp THEN 'whatsapp' ELSE 'sms' END, c.mobile, c.id, "
        "'outage_declared', CASE WHEN c.language = 'en' THEN 'en' ELSE 'hi' END, "
        "CASE WHEN c.language = 'en' THEN %s ELSE %s END, "
        f"(CASE WHEN c.language = 'en' THEN %s ELSE %s END){json_type}, '', '', "
        "CASE WHEN c.language = 'en' THEN %s ELSE %s END, %s, 'queued', 0, %s, '', '', '', %s"
        f"{', %s' * len(extra)} "
        "FROM consumers_consumer c WHERE c.feeder_id IN "
        "(SELECT f.id FROM network_feeder f WHERE f.substation_id = %s) "
        "AND c.mobile IS NOT NULL AND c.mobile <> '' AND (c.consent_whatsapp OR c.consent_sms)"
    )
    params = [
        texts["en"].text,
        texts["hi"].text,
        en_vars,
        hi_vars,
        texts["en"].segments,
        texts["hi"].segments,
        True,
        now,
        now,
        *(f.get_db_prep_save(f.get_default(), connection) for f in extra),
        substation.pk,
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def declare(*, substation_code: str) -> int:
    from datetime import timedelta

    from sampark.core import clock
    from sampark.notifications.models import Notification
    from sampark.outages.services import outage_declare

    outage = outage_declare(
        kind="unplanned",
        reason_code="feeder_11kv_trip",
        substation_codes=[substation_code],
        etr=clock.now() + timedelta(hours=2),
        source="scada",
        actor=None,
        actor_label="bench",
    )
    return Notification.objects.filter(topic=f"outage:{outage.pk}").count()


def child(phase: str, *, consumers: int, rounds: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    codes = network_build(consumers=consumers)
    rss_built = peak_rss_mb()
    if phase == "fanout":
        baseline, fanout = [], []
        rows: dict[str, int] = {}
        for _ in range(rounds):
            outbox_empty()
            started = time.perf_counter()
            rows["baseline"] = baseline_insert(substation_code=codes[0])
            baseline.append(time.perf_counter() - started)
            outbox_empty()
            started = time.perf_counter()
            rows["fanout"] = declare(substation_code=codes[0])
            fanout.append(time.perf_counter() - started)
        if rows["fanout"] != rows["baseline"]:
            raise SystemExit(f"fan-out wrote {rows['fanout']} rows, baseline {rows['baseline']}")
        return {
            "bench": "outage_fanout",
            "vendor": connection.vendor,
            "consumers": consumers,
            "notifications": rows["fanout"],
            "baseline_insert_select_s": round(min(baseline), 3),
            "declare_and_fanout_s": round(min(fanout), 3),
            "ratio": round(min(fanout) / min(baseline), 2),
            "runs_baseline_s": [round(t, 3) for t in baseline],
            "runs_fanout_s": [round(t, 3) for t in fanout],
            "targets": "< 2 s, ratio <= 1.5",
            "peak_rss_mb": peak_rss_mb(),
        }
    from sampark.notifications.models import Notification

    started = time.perf_counter()
    for code in codes:
        declare(substation_code=code)
    seconds = time.perf_counter() - started
    return {
        "bench": "outage_fanout_storm",
        "vendor": connection.vendor,
        "consumers": consumers,
        "outages": len(codes),
        "feeders": len(codes) * FEEDERS_PER_SUBSTATION,
        "notifications": Notification.objects.count(),
        "seconds": round(seconds, 2),
        "rows_per_s": round(Notification.objects.count() / seconds),
        "rss_before_storm_mb": rss_built,
        "peak_rss_mb": peak_rss_mb(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--consumers", type=int, default=50_000)
    parser.add_argument("--storm", type=int, default=1_000_000, help="0 to skip")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--phase", choices=["fanout", "storm"])
    args = parser.parse_args()
    if args.phase:
        result = child(args.phase, consumers=args.consumers, rounds=args.rounds)
        print(json.dumps(result, ensure_ascii=False))
        return 0
    for database in args.databases.split(","):
        for result in database_run(
            database, consumers=args.consumers, storm=args.storm, rounds=args.rounds
        ):
            print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
