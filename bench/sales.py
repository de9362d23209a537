"""Benchmark of order submission (1 and 4 concurrent clients) and the sales list pages.

    .venv/bin/python bench/sales.py                       # 100,000 orders on PostgreSQL
    .venv/bin/python bench/sales.py --db sqlite --no-pages
    .venv/bin/python bench/sales.py --orders 20000 --submissions 100 --name bench_mine

Runs on the PostgreSQL database `--name` (default bench_sales) on BENCH_PG_URL (default
postgres://postgres@127.0.0.1), created when missing, or on bench/data/<name>.sqlite3, through
Django's test client with the production middleware and DEBUG off (bench/settings.py). It keeps
the generated data when the database already holds the same amount.

Submissions post the New order form, so each one runs the whole path: form, credit check under
the account's row lock, numbering, lines, redirect. Several clients are threads, each with its
own database connection, on distinct accounts and then all on one account (where the lock makes
them queue, which is the point of it). Before each run every account used gets a credit limit
that half of its orders fit under; afterwards an account whose exposure passed its limit is a
credit overrun (there must be none).
"""

import argparse
import os
import random
import statistics
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

ROOT = Path(__file__).resolve().parent.parent
PG_BASE_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
DATA_DIR = ROOT / "bench" / "data"
SEED = 20261123
CUSTOMERS = 2_000
STATUS_WEIGHTS = {
    "accepted": 30,
    "invoiced": 45,
    "pending_approval": 2,
    "rejected": 3,
    "blocked": 2,
    "cancelled": 18,
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def ensure_database(db: str, name: str) -> str:
    """The database's URL, the PostgreSQL database created when missing."""
    if db == "sqlite":
        DATA_DIR.mkdir(exist_ok=True)
        return f"sqlite:///{DATA_DIR / f'{name}.sqlite3'}"
    import psycopg2

    connection = psycopg2.connect(f"{PG_BASE_URL}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    return f"{PG_BASE_URL}/{name}"


def setup_django(url: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ["BENCH_DATABASE_URL"] = url
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fill(order_count: int) -> None:
    """Customers, a seller, and `order_count` orders with lines, invoices and approvals."""
    from django.db import connection, transaction

    from accounts.models import Account, Address, Industry, RelationshipType
    from accounts.rules import account_name_key
    from sales.models import Approval, DocumentSequence, Invoice, Order, OrderLine
    from users.models import User

    if Order.objects.count() >= order_count and Account.objects.count() >= CUSTOMERS:
        log(f"Keeping the {order_count:,} orders already there.")
        return
    log(f"Filling {CUSTOMERS:,} customers and {order_count:,} orders ...")
    started = time.perf_counter()
    rng = random.Random(SEED)
    with transaction.atomic():
        tables = (
            "sales_approval, sales_prepaymentdecision, sales_invoice, sales_orderline, "
            "sales_order, sales_quoteline, sales_quote, sales_documentsequence, "
            "accounts_accountchange, accounts_address, accounts_contact, accounts_account"
        )
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
            else:
                for table in tables.split(", "):
                    cursor.execute(f"DELETE FROM {table}")
        industry, _ = Industry.objects.get_or_create(name="_Manufacturing")
        types = {t.code: t for t in RelationshipType.objects.all()}
        accounts = [
            Account(
                name=f"Bench Customer {i:05d}",
                name_key=account_name_key(f"Bench Customer {i:05d}"),
                relationship_type=types["customer"],
                industry=industry,
                credit_limit=Decimal(rng.choice([50_000, 100_000, 1_000_000])),
            )
            for i in range(CUSTOMERS)
        ]
        Account.objects.bulk_create(accounts, batch_size=2000)
        Address.objects.bulk_create(
            [
                Address(account=a, kind=kind, name=name, city="Eindhoven", country="NL")
                for a in accounts
                for kind, name in (("visit", "Visit"), ("mailing", "Mailing"))
            ],
            batch_size=4000,
        )
        clerk, _ = User.objects.get_or_create(username="bench-filler")
        statuses = list(STATUS_WEIGHTS)
        weights = list(STATUS_WEIGHTS.values())
        batch = 5000
        for start in range(0, order_count, batch):
            orders = []
            for n in range(start, min(start + batch, order_count)):
                subtotal = Decimal(rng.randrange(100_00, 2_000_000)) / 100
                vat = (subtotal * Decimal("0.21")).quantize(Decimal("0.01"))
                orders.append(
                    Order(
                        number=f"O-{n + 1:06d}",
                        customer=accounts[rng.randrange(CUSTOMERS)],
                        status=rng.choices(statuses, weights)[0],
                        subtotal=subtotal,
                        vat_amount=vat,
                        total=subtotal + vat,
                        created_by=clerk,
                        credit_reason="Accepted: generated for the benchmark.",
                    )
                )
            Order.objects.bulk_create(orders)
            OrderLine.objects.bulk_create(
                [
                    OrderLine(
                        order=o,
                        position=1,
                        description="Panel set",
                        quantity=1,
                        unit_price=o.subtotal,
                    )
                    for o in orders
                ]
            )
            invoiced = [o for o in orders if o.status == "invoiced"]
            Invoice.objects.bulk_create(
                [
                    Invoice(
                        number=f"INV-{o.pk:06d}",
                        order=o,
                        customer_id=o.customer_id,
                        date="2026-10-01",
                        due_date="2026-10-31",
                        amount=o.total,
                        paid_at=None if rng.random() < 0.2 else "2026-10-20T12:00Z",
                    )
                    for o in invoiced
                ]
            )
            Approval.objects.bulk_create(
                [
                    Approval(order=o, decision="rejected", comment="Too risky.", decided_by=clerk)
                    for o in orders
                    if o.status == "rejected"
                ]
            )
        DocumentSequence.objects.update_or_create(
            name="order", defaults={"last_number": order_count}
        )
        DocumentSequence.objects.update_or_create(
            name="invoice", defaults={"last_number": order_count}
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log(f"  filled in {time.perf_counter() - started:.0f} s")


def logged_in_client(username: str, groups: list[str]):
    from django.contrib.auth.models import Group
    from django.test import Client

    from users.models import User

    user, _ = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@x.example"}
    )
    user.groups.set(Group.objects.filter(name__in=groups))
    client = Client()
    client.force_login(user)
    return client


def order_form(account) -> dict:
    return {
        "customer": str(account.pk),
        "customer_name": account.name,
        "vat_rate": "21",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-description": "Press brake tooling",
        "lines-0-quantity": "2",
        "lines-0-unit_price": "1250.00",
        "lines-0-discount_percent": "5",
        "lines-1-description": "Installation",
        "lines-1-quantity": "8",
        "lines-1-unit_price": "95.00",
        "lines-1-discount_percent": "0",
    }


CENT = Decimal("0.01")
ORDER_VALUE = Decimal("3793.35")  # order_form's two lines with 21% VAT


def set_limits(accounts: list, orders_each: int) -> None:
    """Give each account a credit limit that half of its coming orders fit under."""
    from sales.selectors import account_exposure

    for account in accounts:
        # In cents, as stored: SQLite sums the amounts as floating point (1283619.7399999...).
        exposure = account_exposure(account_id=account.pk).quantize(CENT)
        account.credit_limit = exposure + ORDER_VALUE * max(1, orders_each // 2)
        account.credit_hold = False
        account.save(update_fields=["credit_limit", "credit_hold"])


def overruns(accounts: list) -> int:
    """The accounts that now owe more than their credit limit allows."""
    from sales.selectors import account_exposure

    return sum(account_exposure(account_id=a.pk).quantize(CENT) > a.credit_limit for a in accounts)


def submissions(clients: int, per_client: int, one_account: bool) -> tuple:
    """Orders per second, latency, orders accepted and credit overruns with `clients` threads
    posting the New order form."""
    from django.db import connections

    from accounts.models import Account
    from sales.models import Order

    accounts = list(Account.objects.order_by("id")[: 1 if one_account else clients])
    set_limits(accounts, per_client * (clients if one_account else 1))
    first_new = (Order.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    http = [logged_in_client(f"bench-sales-{i}", ["Sales"]) for i in range(clients)]
    barrier = threading.Barrier(clients)
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        account = accounts[0 if one_account else i]
        data = order_form(account)
        mine = []
        try:
            barrier.wait()
            for _ in range(per_client):
                # A person reads the order page after each submission, which takes its success
                # message; unread, the messages cookie grows and is re-encoded on every post.
                http[i].cookies.pop("messages", None)
                started = time.perf_counter()
                # Each form shown carries a new one-time key, as a browser's does.
                response = http[i].post("/orders/new/", {**data, "submission": str(uuid4())})
                mine.append((time.perf_counter() - started) * 1000)
                if response.status_code != 302:
                    failures.append(f"status {response.status_code}")
        finally:
            connections.close_all()
            with lock:
                latencies.extend(mine)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    started, cpu_started = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    assert not failures, failures[:3]
    latencies.sort()
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
    accepted = Order.objects.filter(
        id__gte=first_new, customer__in=accounts, status="accepted"
    ).count()
    return (
        len(latencies) / elapsed,
        statistics.median(latencies),
        p95,
        cpu * 1000 / len(latencies),
        len(latencies),
        accepted,
        overruns(accounts),
    )


def pages(runs: int, warmup: int) -> list[tuple]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = logged_in_client("bench-manager", ["Sales", "Accounting", "Management"])
    from django.db.models import Count

    from sales.models import Order

    busiest = (Order.objects.values("customer_id").annotate(n=Count("id")).order_by("-n").first())[
        "customer_id"
    ]
    # The list counts at most 10,000 rows (CappedPaginator), so page 400 is the deepest.
    deep = max(1, min(400, Order.objects.count() // 25))
    cases = [
        ("Orders, first page", "/orders/"),
        (f"Orders, page {deep:,}", f"/orders/?page={deep}"),
        ("Orders, status Accepted", "/orders/?status=accepted"),
        ("Orders, status Pending approval", "/orders/?status=pending_approval"),
        ("Orders, search by number O-0500", "/orders/?q=O-0500"),
        ("Orders, search by customer name", "/orders/?q=Customer+01234"),
        ("Approvals (pending with exposure now)", "/approvals/"),
        ("Invoices, unpaid", "/invoices/?paid=false"),
        ("Account page with its sales panel", f"/accounts/{busiest}/"),
    ]
    rows = []
    for label, url in cases:
        for _ in range(warmup):
            assert client.get(url).status_code == 200, url
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, url
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        times.sort()
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        rows.append((label, statistics.median(times), p95, len(queries.captured_queries)))
        log(f"  {label}: {statistics.median(times):.1f} ms")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--name", default="bench_sales", help="the benchmark database's name")
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--submissions", type=int, default=200, help="orders per scenario")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--no-pages", action="store_true", help="time the submissions only")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    setup_django(ensure_database(args.db, args.name))
    fill(args.orders)

    from django.db import connection

    from sales.models import Order

    print(
        f"{connection.vendor}; orders in the database: {Order.objects.count():,}; load average "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}; {os.cpu_count()} CPUs.\n"
    )
    # A warm-up order, so the first timed one pays no first-use costs.
    submissions(1, 5, one_account=False)
    # On a shared machine the wall-clock figures follow the load; the app's CPU time per order
    # (this process: Django, and SQLite's work; PostgreSQL's server works apart) much less so.
    print(
        "| Order submissions | Orders | Orders/s | Median ms | p95 ms | App CPU ms/order "
        "| Accepted | Overruns |"
    )
    print("|---|--:|--:|--:|--:|--:|--:|--:|")
    scenarios = [(n, False) for n in args.clients]
    scenarios += [(n, True) for n in args.clients if n > 1]
    for clients, one_account in scenarios:
        where = "one account" if one_account else "distinct accounts"
        label = f"{clients} client{'s' if clients > 1 else ''}, {where}"
        rate, median, p95, cpu, count, accepted, overrun = submissions(
            clients, args.submissions // clients, one_account
        )
        print(
            f"| {label} | {count} | {rate:.1f} | {median:.1f} | {p95:.1f} | {cpu:.1f} "
            f"| {accepted} | {overrun} |",
            flush=True,
        )
        log(f"  {label}: {rate:.1f}/s")
    print(f"\nLoad average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}.")
    if args.no_pages:
        return
    print()
    print(f"| Page ({Order.objects.count():,} orders) | Median ms | p95 ms | Queries |")
    print("|---|--:|--:|--:|")
    for label, median, p95, queries in pages(args.runs, args.warmup):
        print(f"| {label} | {median:.1f} | {p95:.1f} | {queries} |", flush=True)


if __name__ == "__main__":
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    main()
