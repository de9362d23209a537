"""Benchmark of the account list and account page, against a floor page.

    .venv/bin/python bench/run.py --sizes 10000 100000 --db sqlite postgres
    .venv/bin/python bench/run.py --sizes 1000000 --db postgres

Each database and size runs in its own process (Django settings are per process): it migrates the
bench database, fills it unless it already holds the same generated data, logs a user with view
permission in to the test client and times each page. See bench/README.md.
"""

import argparse
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "bench" / "data"
PG_BASE_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
# Several people share one server: BENCH_DB_PREFIX=bench_NAME keeps each one's databases apart.
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "bench")


def database_url(db: str, size: int) -> str:
    if db == "sqlite":
        return f"sqlite:///{DATA_DIR / f'bench_{size}.sqlite3'}"
    return f"{PG_BASE_URL}/{DB_PREFIX}_{size}"


def ensure_postgres_database(size: int) -> None:
    import psycopg2

    connection = psycopg2.connect(f"{PG_BASE_URL}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [f"{DB_PREFIX}_{size}"])
        if not cursor.fetchone():
            cursor.execute(f"CREATE DATABASE {DB_PREFIX}_{size}")
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--db", nargs="+", choices=["sqlite", "postgres"], default=["sqlite"])
    parser.add_argument("--requests", type=int, default=30, help="timed requests per case")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per case first")
    parser.add_argument("--rebuild", action="store_true", help="refill even if the data is there")
    parser.add_argument("--only", nargs="+", help="run only the cases whose label contains these")
    parser.add_argument(
        "--explain",
        type=float,
        metavar="MS",
        help="print EXPLAIN ANALYZE (to stderr) of every query slower than MS ms",
    )
    parser.add_argument("--out", type=Path, help="also append the tables to this file")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    DATA_DIR.mkdir(exist_ok=True)
    for db in args.db:
        for size in args.sizes:
            if db == "postgres":
                ensure_postgres_database(size)
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "bench.settings",
                "BENCH_DATABASE_URL": database_url(db, size),
                "PYTHONPATH": str(ROOT),
            }
            command = [sys.executable, __file__, "--worker", "--db", db, "--sizes", str(size),
                       "--requests", str(args.requests), "--warmup", str(args.warmup)]  # fmt: skip
            if args.rebuild:
                command.append("--rebuild")
            if args.only:
                command += ["--only", *args.only]
            if args.explain is not None:
                command += ["--explain", str(args.explain)]
            result = subprocess.run(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
            print(result.stdout, flush=True)
            if result.returncode:
                sys.exit(f"{db} at {size:,} accounts failed (exit {result.returncode})")
            if args.out:
                with args.out.open("a") as out:
                    out.write(result.stdout + "\n")


# --- the worker: one database, one size ---------------------------------------------------------


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def worker(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    size, db = args.sizes[0], args.db[0]
    log(f"{db}, {size:,} accounts: migrating")
    call_command("migrate", verbosity=0)
    ensure_data(size=size, rebuild=args.rebuild)
    cases = build_cases()
    if args.only:
        cases = [c for c in cases if any(word in c[0] for word in args.only)]
    results = measure_all(cases, warmup=args.warmup, requests=args.requests, explain=args.explain)
    print(render_table(db, size, args, results))


def ensure_data(*, size: int, rebuild: bool) -> None:
    """Fill the bench database unless it already holds this size and data version."""
    from django.db import connection

    from accounts.models import Account
    from bench.fill import DATA_VERSION, fill

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_meta (size integer, version integer)")
        cursor.execute("SELECT size, version FROM bench_meta")
        meta = cursor.fetchone()
    if not rebuild and meta == (size, DATA_VERSION) and Account.objects.count() == size:
        log("  data present, reused")
        return
    log(f"  filling {size:,} accounts")
    started = time.perf_counter()
    fill(size=size, progress=log)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM bench_meta")
        cursor.execute("INSERT INTO bench_meta VALUES (%s, %s)", [size, DATA_VERSION])
    log(f"  filled in {time.perf_counter() - started:.0f} s")


def bench_user():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    user, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"email": "bench@example.com"}
    )
    # A reader of accounts and their contacts, as every role is.
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_account", "view_contact"])
    )
    # bench/activities.py measures the same user as Sales, perhaps in this database.
    user.groups.clear()
    return user


def build_cases() -> list[tuple[str, list[str]]]:
    """(label, URLs); a case cycles through its URLs. Every sort both ways, every filter, the
    first, a deep and the last page, and searches from a common word to one matching nothing."""
    from accounts.filters import sort_order
    from accounts.models import Account, Contact, Industry, RelationshipType
    from common.pagination import Cursor

    customer = RelationshipType.objects.get(code="customer").pk
    press = RelationshipType.objects.get(code="press").pk
    industry = Industry.objects.order_by("name").values_list("pk", flat=True).first()
    # Accounts with contacts, so the account page shows every panel filled.
    with_contacts = list(
        Contact.objects.order_by("id").values_list("account_id", flat=True)[:300].iterator()
    )
    detail_ids = sorted(set(with_contacts))[::3][:30]
    # A page 300 rows deep (7,500 rows in), as its Next link names it: found once, by OFFSET.
    deep = Account.objects.order_by("name", "id").values_list("name", "id")[7_499]
    deep_cursor = Cursor(part=0, key=deep, position=7_500).encode()

    def deep_cursor_of(sort: str) -> str:
        """The Next link 300 pages into the list in this sort (7,500 rows in)."""
        order = sort_order(sort)
        rows = Account.objects.filter(order.parts[0]).order_by(*order.order_by())
        key = rows.values_list(*order.columns)[7_499]
        return Cursor(part=0, key=key, position=7_500).encode()

    city_cursor = deep_cursor_of("-city")
    # Sorted by type, 7,500 rows in: inside one type's rows, which the key's name must skip.
    type_cursor = deep_cursor_of("type")
    # One account's own address: a search that matches one row, or a handful.
    with_email = Account.objects.exclude(email="").order_by("pk").values_list("email", flat=True)
    email = with_email[len(detail_ids) * 1000]
    cases = [
        ("floor: one query, small template", ["/bench/floor/"]),
        ("list: first page", ["/accounts/"]),
        ("list: page 300 (Next links)", [f"/accounts/?after={deep_cursor}"]),
        ("list: page 300 back (Previous)", [f"/accounts/?before={deep_cursor}"]),
        ("list: last page", ["/accounts/?last=1"]),
        ("list: page 300 by city desc", [f"/accounts/?sort=-city&after={city_cursor}"]),
        ("list: page 300 by type", [f"/accounts/?sort=type&after={type_cursor}"]),
        ("search: common word 'bouw'", ["/accounts/?q=bouw"]),
        ("search: city 'eindhoven'", ["/accounts/?q=eindhoven"]),
        ("search: accents 'dusseldorf'", ["/accounts/?q=dusseldorf"]),
        ("search: rare 'hoekstra staalbouw'", ["/accounts/?q=hoekstra+staalbouw"]),
        ("search: rare word 'zenoform'", ["/accounts/?q=zenoform"]),
        ("search: nothing 'qxzvy'", ["/accounts/?q=qxzvy"]),
        ("search: email", [f"/accounts/?q={email}"]),
        ("search: 'bouw' last page", ["/accounts/?q=bouw&last=1"]),
        # Names that sort late: PostgreSQL walks the name index from A hoping to meet them soon.
        ("search: a late surname 'wouters'", ["/accounts/?q=wouters"]),
        ("search: a late surname 'zimmermann'", ["/accounts/?q=zimmermann"]),
        ("search: 'bouw' by city desc", ["/accounts/?q=bouw&sort=-city"]),
        ("filter: type Customer", [f"/accounts/?relationship_type={customer}"]),
        ("filter: type Press", [f"/accounts/?relationship_type={press}"]),
        ("filter: industry", [f"/accounts/?industry={industry}"]),
        ("filter: country BE", ["/accounts/?country=BE"]),
        ("filter: country BE last page", ["/accounts/?country=BE&last=1"]),
        ("filter: credit hold", ["/accounts/?credit_hold=true"]),
        ("filter: not on hold", ["/accounts/?credit_hold=false"]),
    ]
    for key in ("name", "city", "country", "type", "industry"):
        cases.append((f"sort: {key}", [f"/accounts/?sort={key}"]))
        cases.append((f"sort: {key} desc", [f"/accounts/?sort=-{key}"]))
    cases.append(("account page", [f"/accounts/{pk}/" for pk in detail_ids]))
    cases += [
        ("contacts: first page", ["/contacts/"]),
        ("contacts: search a surname 'jansen'", ["/contacts/?q=jansen"]),
        ("contacts: search an account's word 'bouw'", ["/contacts/?q=bouw"]),
        ("contacts: search nothing 'qxzvy'", ["/contacts/?q=qxzvy"]),
        # A number as written nationally; the contact has it as +49 90 771 9398.
        ("contacts: search a phone number", ["/contacts/?q=090+771+9398"]),
    ]
    return cases


COUNT_TEXT = re.compile(r'<p class="count">\s*(.*?)\s*</p>', re.S)
ROW = re.compile(r"<tr( data-contact=\"\d+\")?>\s*<td>")


def client_for_bench_user(user=None):
    """A test client logged in as `user`, by default this bench's reader of accounts."""
    from django.test import Client

    client = Client()
    client.force_login(user or bench_user())
    return client


class SqlTimer:
    """Sums the time spent in the database, without the debug cursor's overhead."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def measure_all(
    cases: list[tuple[str, list[str]]], *, warmup: int, requests: int, explain: float | None
) -> list[dict]:
    """Time every case in rounds (one request of each case per round), so that load from
    other processes on the machine spreads over all cases instead of hitting a few."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for_bench_user()
    for _, urls in cases:
        for i in range(warmup):
            client.get(urls[i % len(urls)])
    times: dict[str, list[float]] = {label: [] for label, _ in cases}
    sql: dict[str, list[float]] = {label: [] for label, _ in cases}
    for i in range(requests):
        for label, urls in cases:
            url = urls[i % len(urls)]
            timer = SqlTimer()
            with connection.execute_wrapper(timer):
                started = time.perf_counter()
                response = client.get(url)
                times[label].append((time.perf_counter() - started) * 1000)
            sql[label].append(timer.seconds * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
    results = []
    for label, urls in cases:
        # The query count comes from the debug cursor, so it runs apart from the timed requests.
        with CaptureQueriesContext(connection) as queries:
            response = client.get(urls[0])
        if explain is not None:
            explain_slow(label, queries.captured_queries, explain)
        found = COUNT_TEXT.search(response.content.decode())
        shown = "" if not found else found.group(1).split(";")[0]
        ordered = sorted(times[label])
        result = {
            "label": label,
            "url": urls[0] + (f" (+{len(urls) - 1} more)" if len(urls) > 1 else ""),
            "median": statistics.median(ordered),
            "p95": ordered[math.ceil(0.95 * len(ordered)) - 1],
            "queries": len(queries.captured_queries),
            "sql": statistics.median(sql[label]),
            "found": shown.replace("Accounts ", ""),
            "rows": len(ROW.findall(response.content.decode())),
            "kb": len(response.content) / 1024,
        }
        log(f"  {label:36} {result['median']:8.1f} ms  {result['p95']:8.1f} ms  {len(queries)} q")
        results.append(result)
    return results


def explain_slow(label: str, queries: list[dict], threshold_ms: float) -> None:
    from django.db import connection

    analyze = (
        "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
    )
    for query in queries:
        if float(query["time"]) * 1000 < threshold_ms:
            continue
        with connection.cursor() as cursor:
            cursor.execute(analyze + query["sql"])
            plan = "\n".join(" | ".join(str(c) for c in row) for row in cursor.fetchall())
        log(f"\n--- {label}: {float(query['time']) * 1000:.0f} ms\n{query['sql']}\n{plan}\n")


def render_table(db: str, size: int, args: argparse.Namespace, results: list[dict]) -> str:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        version = connection.Database.sqlite_version if db == "sqlite" else None
        if not version:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0].split()[0]
    name = "SQLite" if db == "sqlite" else "PostgreSQL"
    lines = [
        f"### {name} {version}, {size:,} accounts",
        "",
        f"{args.requests} timed requests per case after {args.warmup} warm-up; Django "
        f"{django.get_version()}, Python {platform.python_version()}, test client, DEBUG off. "
        "Requests run in rounds across the cases. Queries from one extra request "
        "(CaptureQueriesContext); SQL ms is the median time in the database per request. "
        f"Load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.",
        "",
        "| Case | URL | Median ms | x floor | p95 ms | Queries | SQL ms | Shown | Rows | KB |",
        "|---|---|--:|--:|--:|--:|--:|---|--:|--:|",
    ]
    floor = next((r["median"] for r in results if r["label"].startswith("floor")), None)
    for r in results:
        ratio = f"{r['median'] / floor:.1f}" if floor else ""
        url = r["url"] if len(r["url"]) < 60 else r["url"][:57] + "..."
        lines.append(
            f"| {r['label']} | `{url}` | {r['median']:.1f} | {ratio} | {r['p95']:.1f} | "
            f"{r['queries']} | {r['sql']:.1f} | {r['found']} | {r['rows']} | {r['kb']:.0f} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    # Python puts bench/ first on the path; modules there (bench/maps.py) must not shadow the
    # project's apps of the same name.
    sys.path[0] = str(ROOT)
    main()
