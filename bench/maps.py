"""Benchmark of the maps: an account's radius map and the overview with filters, beside the floor.

    .venv/bin/python bench/maps.py --sizes 1000000 --db postgres --prefix bench_mapperf_
    .venv/bin/python bench/maps.py --sizes 100000 --db sqlite

Each size runs in its own process on its own database (PostgreSQL `<prefix><size>`, SQLite
`bench/data/<prefix><size>.sqlite3`), filled by bench/fill.py (geocoded visit addresses spread
around Dutch, Belgian and German cities) unless it already holds that data. The centre is an
account in Eindhoven. Every case is a whole page through the test client, logged in, DEBUG off;
"x floor" is its median over the median of the one-query floor page of the same run.
"""

import argparse
import json
import math
import os
import re
import statistics
import subprocess
import sys
import time
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "bench" / "data"
PG_BASE_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def database_url(db: str, prefix: str, size: int) -> str:
    if db == "sqlite":
        DATA_DIR.mkdir(exist_ok=True)
        return f"sqlite:///{DATA_DIR / f'{prefix}{size}.sqlite3'}"
    return f"{PG_BASE_URL}/{prefix}{size}"


def ensure_postgres_database(name: str) -> None:
    import psycopg2

    connection = psycopg2.connect(f"{PG_BASE_URL}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f"CREATE DATABASE {name}")
    connection.close()


def timed(function, *, warmup: int, runs: int) -> tuple[float, float, object]:
    """Median and 95th percentile in ms, and the last result."""
    for _ in range(warmup):
        result = function()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[math.ceil(0.95 * len(times)) - 1], result


def cases() -> list[tuple[str, str]]:
    """(label, URL) of every case; the floor first."""
    from accounts.models import Account, Address, Industry, RelationshipType

    centre = (
        Address.objects.filter(kind="visit", city="Eindhoven", latitude__isnull=False)
        .exclude(account__relationship_type__code="other")
        .order_by("account_id")
        .values_list("account_id", flat=True)
        .first()
    )
    customer = RelationshipType.objects.get(code="customer").pk
    industry = Account.objects.order_by("pk").values_list("industry_id", flat=True).first()
    assert Industry.objects.filter(pk=industry).exists()
    # The map opens empty; map=update is the page after Update map, with the accounts.
    account_map = f"/accounts/{centre}/map/?map=update"
    return [
        ("floor: one query, small template", "/bench/floor/"),
        ("account map 50 km", f"{account_map}&radius=50"),
        ("account map 50 km, list by city", f"{account_map}&radius=50&sort=city"),
        ("account map 400 km", f"{account_map}&radius=400"),
        ("account map 400 km, list page 20", f"{account_map}&radius=400&page=20"),
        ("/map/ everything", "/map/"),
        ("/map/ country BE", "/map/?country=BE"),
        ("/map/ customers", f"/map/?relationship_type={customer}"),
        ("/map/ industry", f"/map/?industry={industry}"),
        ("/map/ search 'bouw'", "/map/?q=bouw"),
        ("/map/ search 'eindhoven', customers", f"/map/?q=eindhoven&relationship_type={customer}"),
    ]


def drawn_points(html: str) -> tuple[str, str]:
    """The accounts inside and what the map draws, from the data the page hands to map.js."""
    found = re.search(r'id="map-data" hidden data-map="([^"]*)"', html)
    if not found:
        return "", ""
    data = json.loads(unescape(found.group(1)))
    if data["cells"]:
        inside = sum(cell[2] for cell in data["cells"])
        return f"{inside:,}", f"{len(data['cells'])} cells"
    return f"{len(data['pins']):,}", f"{len(data['pins'])} pins"


def worker(db: str, size: int, runs: int, warmup: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.run import client_for_bench_user, ensure_data

    log(f"{db} {size:,} accounts: migrating")
    call_command("migrate", verbosity=0)
    ensure_data(size=size, rebuild=False)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = client_for_bench_user()
    floor = None
    for label, url in cases():

        def page(url: str = url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        median, p95, response = timed(page, warmup=warmup, runs=runs)
        floor = floor or median
        with CaptureQueriesContext(connection) as queries:
            page()
        inside, drawn = drawn_points(response.content.decode())
        row = [db, f"{size:,}", label, f"{median:.1f}", f"{median / floor:.1f}", f"{p95:.1f}",
               str(len(queries)), inside, drawn, f"{len(response.content) / 1024:.0f}"]  # fmt: skip
        print("| " + " | ".join(row) + " |", flush=True)
        log(f"  {label}: {median:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--prefix", default="bench_maps_", help="database name before the size")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per case")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    if args.worker:
        worker(args.db, args.sizes[0], args.runs, args.warmup)
        return
    columns = (
        "DB | Accounts | Case | Median ms | x floor | p95 ms | Queries | Inside | Drawn | HTML KB"
    )
    print(f"| {columns} |")
    print("|---|--:|---|--:|--:|--:|--:|--:|---|--:|")
    sys.stdout.flush()
    for size in args.sizes:
        if args.db == "postgres":
            ensure_postgres_database(f"{args.prefix}{size}")
        env = {**os.environ, "BENCH_DATABASE_URL": database_url(args.db, args.prefix, size)}
        command = [sys.executable, __file__, "--worker", "--db", args.db, "--sizes", str(size),
                   "--runs", str(args.runs), "--warmup", str(args.warmup)]  # fmt: skip
        subprocess.run(command, env=env, cwd=ROOT, check=True)
        sys.stdout.flush()


if __name__ == "__main__":
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    main()
