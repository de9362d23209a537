"""Write a CSV file of N generated accounts in the admin's export columns, for import_accounts.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/crm_import
    .venv/bin/python bench/import_file.py --rows 50000 --industries
    .venv/bin/python manage.py import_accounts bench/data/import_50000.csv --user admin

The import needs the industries of the file (--industries adds them).

The rows come from bench/fill.py's generator (same names, cities, types and shares): a CRM 4
export, so no id column. A parent is given by its CRM4 id when it has one (60% do); a child of
an account without one gets none. Industries and relationship types are written by name.

With --updates the file holds only the rows with a CRM4 id, each with another name, visit street
and credit limit: imported after the plain file of the same size, every row updates an account.

    .venv/bin/python bench/import_file.py --rows 50000 --updates
    .venv/bin/python manage.py import_accounts bench/data/update_50000.csv --user admin
"""

import argparse
import csv
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings_test")

import django  # noqa: E402

django.setup()

from accounts.importing import COLUMNS  # noqa: E402
from bench.fill import ACCOUNT_COLUMNS, INDUSTRIES, TYPE_WEIGHTS, Generator, reference_data  # noqa: E402

HEADER = [column for column in COLUMNS if column not in ("id", "parent_id", "parent_name")]
TYPE_NAMES = {code: code.capitalize() for code in TYPE_WEIGHTS}


def _address(kind: str, address: tuple) -> dict[str, str]:
    street, postal_code, city, country = address[4:8]
    parts = {"street": street, "postal_code": postal_code, "city": city, "country": country}
    return {f"{kind}_{part}": value for part, value in parts.items()}


def write(*, rows: int, out: Path, encoding: str, updates: bool = False) -> None:
    # The generator writes whatever it is given for the type and industry: here their names.
    names: dict = {name: name for name in TYPE_NAMES.values()}
    names |= {("i", industry): industry for industry in INDUSTRIES}
    generator = Generator(size=rows, type_ids=TYPE_NAMES, industry_ids=INDUSTRIES, names=names)
    crm4_ids: dict[int, str] = {}
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding=encoding, newline="", errors="replace") as file:
        writer = csv.DictWriter(file, fieldnames=HEADER, restval="", extrasaction="ignore")
        writer.writeheader()
        for row, addresses, _contacts in generator.rows():
            account = dict(zip(ACCOUNT_COLUMNS, row, strict=True))
            crm4_id, name, limit = account["crm4_id"], account["name"], account["credit_limit"]
            if crm4_id:
                crm4_ids[account["id"]] = crm4_id
            visit, mailing = addresses[0], addresses[1]
            if updates:
                if not crm4_id:
                    continue
                name = f"{name} (renamed)"
                visit = (*visit[:4], f"{visit[4]} bis", *visit[5:])
                limit = (limit or 0) + 1000
            # By column name: a column the export gains later (owner, is_active) stays empty.
            writer.writerow(
                {
                    "crm4_id": crm4_id,
                    "name": name,
                    "relationship_type": account["relationship_type_id"],
                    "industry": account["industry_id"],
                    "business_unit": account["business_unit"],
                    "parent_crm4_id": crm4_ids.get(account["parent_id"], ""),
                    "email": account["email"],
                    "phone": account["phone"],
                    "website": account["website"],
                    "credit_limit": "" if limit is None else f"{limit:.2f}",
                    "credit_hold": "yes" if account["credit_hold"] else "no",
                    "credit_hold_reason": account["credit_hold_reason"],
                    **_address("visit", visit),
                    **_address("mailing", mailing),
                }
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--encoding", default="utf-8")
    parser.add_argument(
        "--updates",
        action="store_true",
        help="Only the rows with a CRM4 id, each changed: a file that updates the accounts the "
        "plain file of the same size added.",
    )
    parser.add_argument(
        "--industries",
        action="store_true",
        help="Also add the file's industries to the database DATABASE_URL names (needed once).",
    )
    args = parser.parse_args()
    if args.industries:
        reference_data()
    kind = "update" if args.updates else "import"
    out = args.out or ROOT / "bench" / "data" / f"{kind}_{args.rows}.csv"
    write(rows=args.rows, out=out, encoding=args.encoding, updates=args.updates)
    print(out)


if __name__ == "__main__":
    main()
