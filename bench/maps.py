"""Benchmark of the radius map: the query and the whole page, and the offline geocoder.

    .venv/bin/python bench/maps.py --sizes 10000 100000 1000000

Each size runs in its own process on its own PostgreSQL database (bench_maps_<size>), filled by
bench/fill.py (geocoded visit addresses spread around Dutch, Belgian and German cities) unless it
already holds that data. The centre is an account in Eindhoven.
"""

import argparse
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BASE_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
RADII = (50, 400)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


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


def worker(size: int, runs: int, warmup: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import Address
    from bench.run import client_for_bench_user, ensure_data
    from maps import selectors
    from maps.selectors import Centre

    log(f"{size:,} accounts: migrating")
    call_command("migrate", verbosity=0)
    ensure_data(size=size, rebuild=False)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    centre_address = (
        Address.objects.filter(kind="visit", city="Eindhoven", latitude__isnull=False)
        .exclude(account__relationship_type__code="other")
        .order_by("account_id")
        .first()
    )
    centre = Centre(centre_address.latitude, centre_address.longitude, centre_address.country.code)
    client = client_for_bench_user()
    rows = []
    for radius in RADII:

        def radius_query(radius: int = radius) -> tuple:
            addresses = selectors.addresses_within(
                centre=centre, radius_km=radius, exclude_account_id=centre_address.account_id
            )
            points = selectors.map_points(
                addresses, cell_km=2 * radius / selectors.CELLS_ACROSS, latitude=centre.latitude
            )
            page = selectors.nearby_page(
                addresses, total=points.total, sort="name", page_number=1, centre=centre
            )
            return points, page

        median, p95, (points, _) = timed(radius_query, warmup=warmup, runs=runs)
        drawn = f"{len(points.cells)} cells" if points.aggregated else f"{len(points.pins)} pins"
        rows.append(
            (size, radius, "radius query (count, pins or cells, list page)", median, p95,
             points.total, drawn, "")
        )  # fmt: skip
        log(f"  {radius} km query {median:.1f} / {p95:.1f} ms, {points.total:,} inside")
        # The map opens empty; map=update is the page after Update map, with the accounts.
        url = f"/accounts/{centre_address.account_id}/map/?radius={radius}&map=update"

        def page(url: str = url):
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            return response

        median, p95, response = timed(page, warmup=warmup, runs=runs)
        rows.append(
            (size, radius, "whole map page", median, p95, points.total, drawn,
             f"{len(response.content) / 1024:.0f}")
        )  # fmt: skip
        log(f"  {radius} km page  {median:.1f} / {p95:.1f} ms")
    for row in rows:
        print("| " + " | ".join(format_cell(c) for c in row) + " |")


def format_cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def geocoder_throughput(count: int) -> str:
    """Addresses per second through the offline backend, index already built."""
    import django

    django.setup()
    from bench.fill import CITIES
    from maps.geocoders import OfflineGeocoder, Query

    geocoder = OfflineGeocoder()
    queries = [
        Query(street="Hoofdstraat 1", postal_code="", city=city, country=country)
        for country, cities in CITIES.items()
        for city, *_ in cities
    ]
    geocoder.geocode(queries[0])  # Opens (or first builds) the index.
    started = time.perf_counter()
    for i in range(count):
        geocoder.geocode(queries[i % len(queries)])
    rate = count / (time.perf_counter() - started)
    return f"Offline geocoder: {rate:,.0f} addresses per second ({count:,} lookups, one thread)."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=20, help="timed runs per case")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    if args.worker:
        worker(args.sizes[0], args.runs, args.warmup)
        return
    print("| Accounts | Radius km | Case | Median ms | p95 ms | Inside | Drawn | HTML KB |")
    print("|--:|--:|---|--:|--:|--:|---|--:|")
    sys.stdout.flush()
    for size in args.sizes:
        name = f"bench_maps_{size}"
        ensure_postgres_database(name)
        env = {**os.environ, "BENCH_DATABASE_URL": f"{PG_BASE_URL}/{name}"}
        command = [sys.executable, __file__, "--worker", "--sizes", str(size),
                   "--runs", str(args.runs), "--warmup", str(args.warmup)]  # fmt: skip
        subprocess.run(command, env=env, cwd=ROOT, check=True)
        sys.stdout.flush()
    env = {**os.environ, "BENCH_DATABASE_URL": f"{PG_BASE_URL}/bench_maps_{args.sizes[0]}"}
    os.environ.update(env)
    print()
    print(geocoder_throughput(20_000))


if __name__ == "__main__":
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    main()
