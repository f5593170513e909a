"""Reading what a crawler reads of a page: its meta tags and its JSON-LD."""

from __future__ import annotations

import json
from html.parser import HTMLParser


class HeadReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.ld: list[dict] = []
        self.links: list[dict[str, str]] = []
        self._in_ld = False
        self._buffer = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content", "")
        if tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld, self._buffer = True, ""
        if tag == "a":
            self.links.append(attrs)

    def handle_data(self, data):
        if self._in_ld:
            self._buffer += data

    def handle_endtag(self, tag):
        if tag == "script" and self._in_ld:
            self.ld.append(json.loads(self._buffer))
            self._in_ld = False


def read_page(html: str | bytes) -> HeadReader:
    reader = HeadReader()
    reader.feed(html.decode() if isinstance(html, bytes) else html)
    return reader
