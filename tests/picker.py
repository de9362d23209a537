"""Account boxes as the browser sends and shows them: the picked id, and the name in the box."""

from __future__ import annotations

from typing import Any

from tests.html import parse


def picked(box: str, account: Any) -> dict[str, str]:
    """What box `box` sends once `account` was picked from its suggestions."""
    return {box: str(account.pk), f"{box}_name": account.name}


def typed(box: str, name: str) -> dict[str, str]:
    """What box `box` sends when a name was typed and no suggestion picked (no JavaScript)."""
    return {box: "", f"{box}_name": name}


def account_box(html: str | bytes, box: str) -> tuple[str, str]:
    """What the account box `box` holds on a page: (the name shown, the id it sends)."""
    page = parse(html)
    shown = page.find("input", type="text", name=f"{box}_name")
    chosen = page.find("input", type="hidden", name=box, data_account_id="")
    return shown.attrs.get("value", ""), chosen.attrs.get("value", "")
