"""Run the same request from several threads at one moment, as several people would."""

import threading
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

from django.db import connections
from django.test import Client


def at_once(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Call work(0..count-1) in as many threads, released together; their results in order.

    Each thread uses its own database connection, closed when it is done. An exception is
    returned in place of a result, so the test can count it.
    """
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = work(index)
        except BaseException as error:  # Reported to the test, in its own thread.
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def logged_in_client(user: Any) -> Client:
    """A test client that returns a 500 as a response instead of raising, so it can be counted."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


class _ErrorListParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.errors: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "ul" and "errorlist" in classes:
            self._depth += 1
        elif tag == "li" and self._depth:
            self.errors.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "ul" and self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth and self.errors:
            self.errors[-1] += data


def form_errors(html: str) -> list[str]:
    """The messages in the page's form error lists (Django's <ul class="errorlist">)."""
    parser = _ErrorListParser()
    parser.feed(html)
    return [error.strip() for error in parser.errors]
