"""The crawler's tools (tests/test_crawler.py): every URL pattern of the URLconf as a concrete
path, the forms of a rendered page, hostile values, and fingerprints of database rows."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

# ---------------------------------------------------------------- hostile values

HUGE_NUMBER = "9" * 40
HUGE_TEXT = "Ø" * 20_000
# What people, scripts and attackers type. Each form field and query parameter gets each.
HOSTILE = [
    "",
    HUGE_NUMBER,
    "-1",
    "1e999",
    "0001-01-01",
    "9999-12-31T23:59",
    "Ærlig talt – 日本語 🎻",
    "nul\x00byte",
    "\x07\x1b[31m\u202e\r\nlinje",
    HUGE_TEXT,
    "²",
    "[]",
]
# The short list for the many "every parameter at once" requests.
HOSTILE_SHORT = ["", HUGE_NUMBER, "9999-12-31", "nul\x00byte", "\x07\u202e\r\n", "日本語"]
# One field at a time, the values that get past the field's own parsing to the code behind it.
HOSTILE_BY_KIND = {
    "number": [HUGE_NUMBER, "-1", "0", "2147483648"],
    "date": ["0001-01-01", "9999-12-31", "2100-12-31"],
    "datetime-local": ["0001-01-01T00:00", "9999-12-31T23:59"],
    "time": ["24:00", "23:59:59.999999"],
    "text": ["\x07\u202e\r\nlinje", HUGE_TEXT, "Ærlig talt – 日本語 🎻", "  "],
    "email": ["idn@bücher.example", "a@b", "x" * 300 + "@example.no"],
    "url": ["javascript:alert(1)", "https://" + "x" * 600 + ".no"],
    "select": [HUGE_NUMBER, "-1", "²"],
}
HOSTILE_BY_KIND["textarea"] = HOSTILE_BY_KIND["text"]
HOSTILE_BY_KIND["search"] = HOSTILE_BY_KIND["text"]
HOSTILE_BY_KIND["checkbox"] = HOSTILE_BY_KIND["radio"] = HOSTILE_BY_KIND["hidden"] = HOSTILE_BY_KIND["select"]
# Fields that pick something (an id, a choice, a number): they also get other offices' ids.
CHOOSING_KINDS = {"select", "checkbox", "radio", "hidden", "number"}
# For path segments: what each converter lets through to a view.
HOSTILE_PATH = {
    "int": [HUGE_NUMBER, "0"],
    "slug": ["a" * 300],
    "str": ["%00", "x" * 3000, "%C3%B8%E2%80%AE%0D%0A"],
    "path": ["%00/x"],
}
HOSTILE_PATH["token"] = HOSTILE_PATH["str"]  # registrations/urls.py's secret tokens


# ---------------------------------------------------------------- the URLconf


@dataclass
class Route:
    name: str  # "namespace:name", or the route itself when the pattern has no name
    parts: list[object]  # the RoutePattern/RegexPattern of each level
    callback: Callable


def routes() -> list[Route]:
    found = []

    def walk(resolver: URLResolver, parts: list, namespace: str | None) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern, [*parts, pattern.pattern], ns)
            elif isinstance(pattern, URLPattern):
                full = [*parts, pattern.pattern]
                label = pattern.name or "".join(str(p) for p in full)
                name = f"{namespace}:{label}" if namespace and pattern.name else label
                found.append(Route(name=name, parts=full, callback=pattern.callback))

    walk(get_resolver(), [], None)
    return found


_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^()]*(?:\([^()]*\)[^()]*)*)\)")


def parameters(route: Route) -> list[tuple[str, str]]:
    """(name, converter) of every parameter in the route's path; regex groups count as "str"."""
    found = []
    for part in route.parts:
        if isinstance(part, RoutePattern):
            found += [(m["name"], m["converter"] or "str") for m in _ROUTE_PARAM.finditer(str(part))]
        elif isinstance(part, RegexPattern):
            found += [(m["name"], "str") for m in _REGEX_GROUP.finditer(part.regex.pattern)]
    return found


def path_for(route: Route, values: dict[str, str]) -> str:
    """The route's path with `values` in its parameters."""
    path = ""
    for part in route.parts:
        if isinstance(part, RoutePattern):
            path += _ROUTE_PARAM.sub(lambda m: values[m["name"]], str(part))
        else:
            text = _REGEX_GROUP.sub(lambda m: values[m["name"]], part.regex.pattern)
            path += text.removeprefix("^").removesuffix("$").replace("\\", "")
    return "/" + path


# ---------------------------------------------------------------- forms on a page


@dataclass
class Form:
    action: str
    method: str
    # name → values, as the browser would send them untouched
    data: dict[str, list[str]] = field(default_factory=dict)
    # every field name a person can change, with its kind (text, select, checkbox, …)
    fields: dict[str, str] = field(default_factory=dict)
    # the named submit buttons: (name, value)
    buttons: list[tuple[str, str]] = field(default_factory=list)


class _FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: tuple[str, bool] | None = None
        self._select_values: list[str] = []
        self._select_first: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        form = self._form
        if tag == "form":
            self._form = Form(
                action=urljoin(self.page_url, a.get("action") or self.page_url),
                method=(a.get("method") or "get").lower(),
            )
            self.forms.append(self._form)
            return
        if form is None or "name" not in a or "disabled" in a:
            if tag == "option" and self._select is not None:
                self._option(a)
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image"):
                form.buttons.append((name, a.get("value", "")))
                return
            form.fields.setdefault(name, kind)
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    form.data.setdefault(name, []).append(a.get("value", "on"))
            elif kind != "file":
                form.data.setdefault(name, []).append(a.get("value", ""))
        elif tag == "button":
            if a.get("type", "submit").lower() == "submit":
                form.buttons.append((name, a.get("value", "")))
        elif tag == "select":
            form.fields.setdefault(name, "select")
            self._select = (name, "multiple" in a)
            self._select_values, self._select_first = [], None
        elif tag == "textarea":
            form.fields.setdefault(name, "textarea")
            self._textarea, self._text = name, ""

    def _option(self, a):
        value = a.get("value", "")
        if self._select_first is None:
            self._select_first = value
        if "selected" in a:
            self._select_values.append(value)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, multiple = self._select
            values = self._select_values or ([] if multiple or self._select_first is None else [self._select_first])
            if values:
                self._form.data.setdefault(name, []).extend(values)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.data.setdefault(self._textarea, []).append(self._text.removeprefix("\n"))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data


def forms_on(html: str, page_url: str) -> list[Form]:
    parser = _FormParser(page_url)
    parser.feed(html)
    return [f for f in parser.forms if urlsplit(f.action).netloc in ("", "testserver")]


def local_path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# ---------------------------------------------------------------- rows


def fingerprint(querysets: Iterable[models.QuerySet], ignore: Iterable[str] = ()) -> dict[str, set[tuple]]:
    """Every row of the querysets, each as the tuple of its columns' values (but those named
    "app.Model.column" in `ignore`)."""
    found: dict[str, set[tuple]] = {}
    ignore = set(ignore)
    for queryset in querysets:
        label = queryset.model._meta.label
        columns = [f.attname for f in queryset.model._meta.concrete_fields if f"{label}.{f.attname}" not in ignore]
        rows = found.setdefault(label, set())
        for row in queryset.values_list(*columns):
            rows.add(tuple(json.dumps(v, sort_keys=True) if isinstance(v, list | dict) else v for v in row))
    return found


def changed(before: dict[str, set[tuple]], after: dict[str, set[tuple]]) -> dict[str, int]:
    return {label: len(before[label] ^ after.get(label, set())) for label in before if before[label] != after[label]}


def variants(
    form: Form, ids: list[str], extra: dict[str, list[str]] | None = None, *, one_at_a_time: bool = True
) -> Iterator[dict]:
    """What the crawler sends a form: the form as filled in (once per submit button, `extra`
    filled in over it); every field at once set to each hostile value (each field's own parsing
    meets every value); then, with `one_at_a_time`, one field at a time, the rest as filled in,
    set to the values of its kind that get past its parsing and, where it picks something, to
    other offices' `ids` and to two values. The hostile variants go with the first button (the
    admin's "save and continue" and "save and add another" save as "save" does)."""
    buttons = form.buttons or [None]
    for button in buttons[1:]:
        yield {**form.data, button[0]: [button[1]], **(extra or {})}
    for button in buttons[:1]:
        sent = {**form.data, **({button[0]: [button[1]]} if button else {}), **(extra or {})}
        yield sent
        for value in [*HOSTILE, *ids]:
            yield {**sent, **{name: [value] for name in form.fields}}
        if not one_at_a_time:
            continue
        for name, kind in form.fields.items():
            if name == "csrfmiddlewaretoken":
                continue  # the test client does not check it
            chooses = kind in CHOOSING_KINDS
            for value in [*HOSTILE_BY_KIND.get(kind, HOSTILE_BY_KIND["text"]), *(ids if chooses else [])]:
                yield {**sent, name: [value]}
            if chooses:
                yield {**sent, name: [HUGE_NUMBER, "x"]}
