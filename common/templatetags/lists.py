"""Lists inside a translated sentence: {% blocktranslate %} takes variables, not loops."""

from collections.abc import Iterable
from typing import Any

from django import template

register = template.Library()


@register.filter
def join_attribute(items: Iterable[Any], attribute: str) -> str:
    """ "pat, sam": one attribute of each item, joined with commas (escaped on output)."""
    return ", ".join(str(getattr(item, attribute)) for item in items)
