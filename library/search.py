"""Full-text search over resources.

PostgreSQL: the stored `search_vector` column (title weight A, summary B, body C,
transcript D, Norwegian configuration; kept current by a trigger, GIN-indexed) matched
with a websearch query and ordered by SearchRank. SQLite has no stemming: every word
must occur in the title, summary or body, and title hits rank above the rest.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

SEARCH_CONFIG = "norwegian"


def resource_search(queryset: QuerySet, text: str) -> QuerySet:
    text = " ".join(text.split())[:200]
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        return (
            queryset.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-published_at", "-id")
        )
    words = text.split()[:8]
    for word in words:
        queryset = queryset.filter(Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word))
    score = sum(
        (
            Case(
                When(title__icontains=word, then=Value(4)),
                When(summary__icontains=word, then=Value(2)),
                default=Value(1),
                output_field=IntegerField(),
            )
            for word in words
        ),
        start=Value(0),
    )
    return queryset.annotate(rank=score).order_by("-rank", "-published_at", "-id")
