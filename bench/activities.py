"""Benchmark of the account page with its timeline and of My work, against the floor page.

    .venv/bin/python bench/activities.py             # 1,000,000 accounts, 5,000,000 activities
    .venv/bin/python bench/activities.py --sizes 10000 --activities 50000

PostgreSQL only, in its own database `bench_activities_<accounts>` (BENCH_PG_URL for another
server). The accounts come from bench/fill.py; the activities are written with COPY (secondary
indexes dropped and rebuilt, foreign-key triggers off). One in ten activities falls on the first
thousand accounts, so their timelines are long (about 500 entries each), and the bench user has
thousands of open tasks and a hundred thousand activities of their own: the pages must not grow
with either.
"""

import argparse
import io
import os
import random
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BASE_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
# Bump when the generated activities change shape, so existing bench databases are refilled.
ACTIVITY_DATA_VERSION = 1
HOT_ACCOUNTS = 1_000
BENCH_USERS = 20

SUBJECTS = {
    "note": ["Price list sent", "Prefers delivery on Mondays", "New purchasing manager",
             "Budget approved for Q3", "Complained about the last delivery"],
    "call": ["Called about the spring order", "Follow-up on quote", "Asked for a discount",
             "Checked the delivery date", "Introduced the new range"],
    "meeting": ["Visit at their plant", "Quarterly review", "Trade fair meeting",
                "Demo of the new line"],
    "email": ["Sent the brochure", "Confirmed the order by email", "Answered a question on VAT"],
    "task": ["Send a revised quote", "Call back about the samples", "Check the credit limit",
             "Plan a visit", "Ask for the purchase order number"],
}  # fmt: skip
KIND_WEIGHTS = {"note": 30, "call": 30, "meeting": 10, "email": 20, "task": 10}
BODIES = [
    "", "Wants a quote for 40 panels.\nCall back Tuesday.", "Spoke with the buyer; no change.",
    "Happy with the service. Interested in the new range next year.",
    "Delivery was late twice; promised to look into it.",
]  # fmt: skip
COLUMNS = [
    "id", "account_id", "kind", "subject", "body", "occurred_at", "created_by_id", "created_at",
    "updated_at", "assigned_to_id", "done_at", "done_by_id", "deleted_at", "deleted_by_id",
]  # fmt: skip


def database_url(size: int) -> str:
    return f"{PG_BASE_URL}/bench_activities_{size}"


def ensure_postgres_database(size: int) -> None:
    import psycopg2

    connection = psycopg2.connect(f"{PG_BASE_URL}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        name = f"bench_activities_{size}"
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f"CREATE DATABASE {name}")
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--activities", type=int, default=5_000_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    for size in args.sizes:
        ensure_postgres_database(size)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "BENCH_DATABASE_URL": database_url(size),
            "PYTHONPATH": str(ROOT),
        }
        command = [sys.executable, __file__, "--worker", "--sizes", str(size),
                   "--activities", str(args.activities), "--requests", str(args.requests),
                   "--warmup", str(args.warmup)]  # fmt: skip
        if args.rebuild:
            command.append("--rebuild")
        result = subprocess.run(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        print(result.stdout, flush=True)
        if result.returncode:
            sys.exit(f"{size:,} accounts failed (exit {result.returncode})")
        if args.out:
            with args.out.open("a") as out:
                out.write(result.stdout + "\n")


def worker(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from bench.run import ensure_data, log

    size = args.sizes[0]
    log(f"postgres, {size:,} accounts, {args.activities:,} activities: migrating")
    call_command("migrate", verbosity=0)
    ensure_data(size=size, rebuild=args.rebuild)
    user = bench_user()
    ensure_activities(size=size, count=args.activities, user=user, rebuild=args.rebuild)
    cases = build_cases(user)
    results = measure(cases, warmup=args.warmup, requests=args.requests)
    print(render(size, args, results))


def measure(cases: list[tuple[str, list[str]]], *, warmup: int, requests: int) -> list[dict]:
    """Like bench/run.py's rounds, with the CPU time of this process beside the wall time.

    On a machine shared with other work, the wall time mostly measures the wait for a core;
    the process's CPU time (the app's own Python work) and the SQL time say what a page costs.
    """
    import statistics

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.run import SqlTimer, client_for_bench_user, log

    client = client_for_bench_user(bench_user())  # Sales, as build_cases measured
    for _, urls in cases:
        for i in range(warmup):
            client.get(urls[i % len(urls)])
    wall: dict[str, list[float]] = {label: [] for label, _ in cases}
    cpu: dict[str, list[float]] = {label: [] for label, _ in cases}
    sql: dict[str, list[float]] = {label: [] for label, _ in cases}
    for i in range(requests):
        for label, urls in cases:
            timer = SqlTimer()
            with connection.execute_wrapper(timer):
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(urls[i % len(urls)])
                cpu[label].append((time.process_time() - started_cpu) * 1000)
                wall[label].append((time.perf_counter() - started) * 1000)
            sql[label].append(timer.seconds * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{urls[i % len(urls)]} answered {response.status_code}")
    results = []
    for label, urls in cases:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(urls[0])
        result = {
            "label": label,
            "url": urls[0] + (f" (+{len(urls) - 1} more)" if len(urls) > 1 else ""),
            "wall": statistics.median(wall[label]),
            "cpu": statistics.median(cpu[label]),
            "sql": statistics.median(sql[label]),
            "queries": len(queries.captured_queries),
            "kb": len(response.content) / 1024,
        }
        log(
            f"  {label:40} {result['wall']:8.1f} ms  cpu {result['cpu']:6.1f}"
            f"  sql {result['sql']:6.1f}"
        )
        results.append(result)
    return results


def render(size: int, args: argparse.Namespace, results: list[dict]) -> str:
    import platform

    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0].split()[0]
    floor = results[0]
    lines = [
        f"#### PostgreSQL {version}, {size:,} accounts, {args.activities:,} activities",
        "",
        f"{args.requests} timed requests per case after {args.warmup} warm-up, in rounds; Django "
        f"{django.get_version()}, Python {platform.python_version()}, test client, DEBUG off, as "
        "a Sales user. CPU ms: this process's CPU time per request (the app's Python work); SQL "
        "ms: time in the database; both medians. Load average at the end: "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.",
        "",
        "| Case | URL | Median ms | x floor | CPU ms | x floor | SQL ms | Queries | KB |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in results:
        lines.append(
            f"| {r['label']} | `{r['url']}` | {r['wall']:.1f} | {r['wall'] / floor['wall']:.1f} | "
            f"{r['cpu']:.1f} | {r['cpu'] / floor['cpu']:.1f} | {r['sql']:.1f} | {r['queries']} | "
            f"{r['kb']:.0f} |"
        )
    return "\n".join(lines) + "\n"


def bench_user():
    """The user the pages are measured as: Sales, so the page shows its write forms too."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"email": "bench@example.com", "first_name": "Bench"}
    )
    user.user_permissions.clear()
    user.groups.set([Group.objects.get(name="Sales")])
    return user


def ensure_activities(*, size: int, count: int, user, rebuild: bool) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from bench.run import log

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_activities_meta (count integer, version integer)"
        )
        cursor.execute("SELECT count, version FROM bench_activities_meta")
        meta = cursor.fetchone()
    if not rebuild and meta == (count, ACTIVITY_DATA_VERSION):
        log("  activities present, reused")
        return
    User = get_user_model()
    others = [
        User.objects.get_or_create(username=f"bench-rep-{n}", defaults={"first_name": f"Rep {n}"})[
            0
        ].pk
        for n in range(BENCH_USERS)
    ]
    log(f"  filling {count:,} activities")
    started = time.perf_counter()
    _fill_activities(size=size, count=count, bench_id=user.pk, others=others, progress=log)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM bench_activities_meta")
        cursor.execute(
            "INSERT INTO bench_activities_meta VALUES (%s, %s)", [count, ACTIVITY_DATA_VERSION]
        )
    log(f"  filled in {time.perf_counter() - started:.0f} s")


def _copy_value(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _rows(*, size: int, count: int, bench_id: int, others: list[int]):
    rng = random.Random(20261203 + count)
    kinds, weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    span = 3 * 365 * 24 * 3600
    people = [bench_id, *others]
    for pk in range(1, count + 1):
        account = rng.randint(1, HOT_ACCOUNTS) if rng.random() < 0.1 else rng.randint(1, size)
        kind = rng.choices(kinds, weights)[0]
        # The bench user writes one in twenty; the others share the rest.
        author = bench_id if rng.random() < 0.05 else rng.choice(others)
        occurred = now - timedelta(seconds=rng.randint(0, span))
        assignee = done_at = done_by = None
        if kind == "task":
            assignee = bench_id if rng.random() < 0.1 else rng.choice(people)
            occurred += timedelta(days=rng.randint(0, 60))
            # Most tasks were done long ago; about one in eight is still open.
            if rng.random() < 0.875:
                done_at, done_by = occurred, assignee
        else:
            done_at, done_by = occurred, author
        deleted = rng.random() < 0.01
        yield (
            pk, account, kind, rng.choice(SUBJECTS[kind]), rng.choice(BODIES), occurred, author,
            occurred, occurred, assignee, done_at, done_by, occurred if deleted else None,
            author if deleted else None,
        )  # fmt: skip


def _fill_activities(*, size: int, count: int, bench_id: int, others: list[int], progress) -> None:
    from django.db import connection, transaction

    from activities.models import Activity

    table = Activity._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table}")
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = %s::regclass
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """,
            [table],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
        cursor.execute("SET LOCAL session_replication_role = replica")
        raw = cursor.cursor
        buffer = io.StringIO()
        for row in _rows(size=size, count=count, bench_id=bench_id, others=others):
            buffer.write("\t".join(_copy_value(v) for v in row))
            buffer.write("\n")
            if row[0] % 250_000 == 0 or row[0] == count:
                buffer.seek(0)
                raw.copy_expert(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN", buffer)
                buffer = io.StringIO()
                progress(f"  {row[0]:,} activities")
        cursor.execute("SET LOCAL session_replication_role = origin")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for name, definition in indexes:
            progress(f"  index {name}")
            cursor.execute(definition)
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"coalesce((SELECT max(id) FROM {table}), 1))"
        )
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {table}")


def build_cases(user) -> list[tuple[str, list[str]]]:
    from activities.models import Activity
    from activities.selectors import account_timeline

    hot = list(range(1, 31))
    ordinary = list(range(HOT_ACCOUNTS + 1, HOT_ACCOUNTS + 3001, 100))
    # A cursor ten pages deep into a long timeline.
    timeline = None
    before = ""
    for _ in range(10):
        timeline = account_timeline(account_id=1, user=user, before=before)
        before = timeline.next_cursor
    open_tasks = Activity.objects.filter(
        assigned_to=user, done_at__isnull=True, deleted_at__isnull=True
    ).count()
    written = Activity.objects.filter(created_by=user).count()
    from bench.run import log

    log(f"  the bench user has {open_tasks:,} open tasks and wrote {written:,} activities")
    return [
        ("floor: one query, small template", ["/bench/floor/"]),
        (
            "account page without the timeline",
            [f"/bench/account-without-timeline/{pk}/" for pk in hot],
        ),
        ("account page, long timeline", [f"/accounts/{pk}/" for pk in hot]),
        ("account page, ordinary timeline", [f"/accounts/{pk}/" for pk in ordinary]),
        ("account page, calls only", [f"/accounts/{pk}/?show=call" for pk in hot]),
        ("account page, timeline page 11", [f"/accounts/1/?before={before}"]),
        ("my work", ["/my-work/"]),
    ]


if __name__ == "__main__":
    sys.path[0] = str(ROOT)
    main()
