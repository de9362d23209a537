"""Find the element that carries a page's meaning, so a test never matches a word that happens to
stand elsewhere on the page (a help text, a filter's options)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The text inside, with the whitespace of the HTML source collapsed."""
        parts = [c if isinstance(c, str) else c.text for c in self.children]
        return " ".join(" ".join(parts).split())

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Element]:
        """The elements inside with this tag and these attributes (`class_` is one of the
        classes; `data_x` is `data-x`), in document order."""
        found = []
        for child in self.children:
            if isinstance(child, Element):
                if child.matches(tag, attrs):
                    found.append(child)
                found.extend(child.find_all(tag, **attrs))
        return found

    def find(self, tag: str | None = None, **attrs: str) -> Element:
        """The first such element; fails the test when there is none."""
        found = self.find_all(tag, **attrs)
        assert found, f"No <{tag or '*'} {attrs}> in the page."
        return found[0]

    def matches(self, tag: str | None, attrs: dict[str, str]) -> bool:
        if tag is not None and self.tag != tag:
            return False
        for name, value in attrs.items():
            if name == "class_":
                if value not in self.classes:
                    return False
            elif self.attrs.get(name.replace("_", "-")) != value:
                return False
        return True


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("document", {})
        self.open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.open[-1].children.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open[-1].children.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        # Close up to the matching element; a stray end tag is ignored, as browsers do.
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.open[-1].children.append(data)


def parse(html: str | bytes) -> Element:
    """The page as a tree of elements: `parse(response.content).find("tr", data_id="3")`."""
    builder = _TreeBuilder()
    builder.feed(html.decode() if isinstance(html, bytes) else html)
    builder.close()
    return builder.root


def rows(html: str | bytes) -> list[list[str]]:
    """The texts of the cells of each body row of the page's tables."""
    return [
        [cell.text for cell in row.children if isinstance(cell, Element)]
        for body in parse(html).find_all("tbody")
        for row in body.find_all("tr")
    ]


def field_errors(html: str | bytes, name: str) -> str:
    """The errors shown beside the form field `name` (with its form's prefix); "" for none."""
    found = parse(html).find_all("div", id=f"id_{name}_errors")
    return found[0].text if found else ""


def form_values(html: str | bytes, form_id: str | None = None) -> dict[str, str]:
    """What a browser would post, untouched, from the page's form (class "form", or the one
    with `form_id`): its boxes as shown, ticked boxes, each select's chosen option."""
    page = parse(html)
    form = page.find("form", id=form_id) if form_id else page.find("form", class_="form")
    values: dict[str, str] = {}
    for box in form.find_all("input"):
        name, kind = box.attrs.get("name"), box.attrs.get("type", "text")
        if not name or kind in {"submit", "button", "file"}:
            continue
        if kind in {"checkbox", "radio"}:
            if "checked" in box.attrs:
                values[name] = box.attrs.get("value", "on")
            continue
        values[name] = box.attrs.get("value", "")
    for select in form.find_all("select"):
        options = select.find_all("option")
        chosen = [o for o in options if "selected" in o.attrs] or options[:1]
        values[select.attrs["name"]] = (
            chosen[0].attrs.get("value", chosen[0].text) if chosen else ""
        )
    for area in form.find_all("textarea"):
        values[area.attrs["name"]] = area.text
    return values
