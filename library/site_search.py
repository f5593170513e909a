"""One search over webinars and courses, resources and organisations (`/sok/`).

Every query word (library/textsearch.py) must match an item: one of its prefixes at the start
of a word of the title or the rest of the item's words, or, for prefixes of five letters or
more, inside a word (a compound's last part). A title hit scores 10, a hit elsewhere 3, a hit
inside a word 1; an item's score is the sum over the words. Webinars and courses still to come
are listed before past ones, then by score; resources by score, then newest.

When every word together finds nothing, the search tries, in order: the words the index knows
that are closest to the ones typed ("did you mean"), then any of the words. Each step is one
counting query, so the number of queries never depends on how much is indexed: a count per
attempt (at most three), one query for the typo candidates, one list query per group shown
and one for the past webinars' recordings.

Only what anybody may see is ever searched: published webinars of published offerings
(standalone ones; a course's sessions are found through their course), published courses,
published public resources, and organisations. This is checked on the items' own rows.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from library.models import Resource, SearchEntry, SearchWord
from library.textsearch import MIN_INFIX, QueryWord, fold, parse_query
from webinars.models import Offering, Session, Status

Kind = SearchEntry.Kind

# group slug (the `vis` parameter) → the kinds of entry it lists
GROUPS = {
    "arrangementer": (Kind.SESSION, Kind.COURSE),
    "ressurser": (Kind.RESOURCE,),
    "organisasjoner": (Kind.ORGANISATION,),
}
TITLE_SCORE, BODY_SCORE, INFIX_SCORE = 10, 3, 1
MAX_TYPO_CANDIDATES = 5000


@dataclass
class Group:
    slug: str
    count: int
    items: list[SearchEntry] = field(default_factory=list)


@dataclass
class Results:
    query: str
    words: list[QueryWord]
    groups: dict[str, Group]
    # The query whose results are shown, when it is not the one typed ("did you mean").
    corrected: str = ""
    # True when no item had every word, and items with some of them are shown.
    any_word: bool = False

    @property
    def total(self) -> int:
        return sum(group.count for group in self.groups.values())


def public_entries() -> QuerySet:
    """Index rows of what anybody may see, checked on the items' own rows."""
    return SearchEntry.objects.filter(
        Q(
            kind=Kind.SESSION,
            session__status=Status.PUBLISHED,
            session__offering__status=Status.PUBLISHED,
            session__offering__kind=Offering.Kind.WEBINAR,
        )
        | Q(kind=Kind.COURSE, course__offering__status=Status.PUBLISHED)
        | Q(
            kind=Kind.RESOURCE,
            resource__status=Resource.Status.PUBLISHED,
            resource__visibility=Resource.Visibility.PUBLIC,
        )
        | Q(kind=Kind.ORGANISATION)
    )


def _contains(column: str, prefixes: list[str], *, word_start: bool) -> Q:
    condition = Q()
    for prefix in prefixes:
        condition |= Q(**{f"{column}__contains": (" " + prefix) if word_start else prefix})
    return condition


def _word_match(word: QueryWord) -> tuple[Q, Case]:
    prefixes = list(word.prefixes)
    title = _contains("title_terms", prefixes, word_start=True)
    body = _contains("body_terms", prefixes, word_start=True)
    whens = [When(title, then=Value(TITLE_SCORE)), When(body, then=Value(BODY_SCORE))]
    short = [p for p in prefixes if len(p) < MIN_INFIX]
    long = [p for p in prefixes if len(p) >= MIN_INFIX]
    # The filter needs each pattern once: a long prefix inside a word covers it at a word's start.
    condition = _contains("title_terms", short, word_start=True) | _contains("body_terms", short, word_start=True)
    if long:
        inside = _contains("title_terms", long, word_start=False) | _contains("body_terms", long, word_start=False)
        whens.append(When(inside, then=Value(INFIX_SCORE)))
        condition |= inside
    return condition, Case(*whens, default=Value(0), output_field=IntegerField())


def _matching(words: list[QueryWord], *, any_word: bool) -> tuple[Q, object]:
    conditions, scores = zip(*(_word_match(w) for w in words), strict=True)
    combined = Q()
    for condition in conditions:
        combined = (combined | condition) if any_word else (combined & condition)
    total = scores[0]
    for score in scores[1:]:
        total = total + score
    return combined, total


def _counts(condition: Q) -> dict[str, int]:
    aggregates = {slug: Count("pk", filter=Q(kind__in=kinds)) for slug, kinds in GROUPS.items()}
    return public_entries().filter(condition).aggregate(**aggregates)


def _course_schedule(function, column: str) -> Subquery:
    sessions = Session.objects.filter(offering_id=OuterRef("course__offering_id")).exclude(status=Status.CANCELLED)
    return Subquery(sessions.values("offering_id").annotate(value=function(column)).values("value")[:1])


def _group_items(slug: str, condition: Q, score, *, offset: int, limit: int, now: datetime) -> list[SearchEntry]:
    entries = public_entries().filter(condition, kind__in=GROUPS[slug]).annotate(score=score)
    if slug == "arrangementer":
        entries = (
            entries.annotate(
                starts=Coalesce(F("session__starts_at"), _course_schedule(Min, "starts_at")),
                ends=Coalesce(F("session__ends_at"), _course_schedule(Max, "ends_at")),
            )
            .annotate(upcoming=Case(When(ends__gte=now, then=Value(1)), default=Value(0), output_field=IntegerField()))
            .select_related("session__organisation", "course__organisation")
            .defer("session__description", "course__description", "session__stream_url")
            .prefetch_related(
                Prefetch(
                    "session__resources",
                    queryset=Resource.objects.public()
                    .filter(kind=Resource.Kind.RECORDING)
                    .only("slug", "title", "session_id"),
                    to_attr="recordings",
                )
            )
            .order_by("-upcoming", "-score", "starts", "pk")
        )
    elif slug == "ressurser":
        entries = (
            entries.select_related("resource__organisation")
            .defer("resource__body", "resource__transcript")
            .order_by("-score", F("resource__published_at").desc(nulls_last=True), "pk")
        )
    else:
        entries = entries.select_related("organisation").order_by("-score", "organisation__name", "pk")
    return list(entries.defer("title_terms", "body_terms")[offset : offset + limit])


def did_you_mean(words: list[QueryWord]) -> str:
    """The query with each word the index does not know replaced by the closest one it does
    (same first letter, about the same length), or "" when nothing changes. One query."""
    candidates = Q()
    for word in words:
        folded = fold(word.text)
        candidates |= Q(folded__startswith=folded[:1], length__range=(len(folded) - 2, len(folded) + 2))
    known: dict[str, str] = {}
    for written, folded in SearchWord.objects.filter(candidates).values_list("word", "folded")[:MAX_TYPO_CANDIDATES]:
        known.setdefault(folded, written)
    corrected, changed = [], False
    for word in words:
        folded = fold(word.text)
        if folded in known or any(k.startswith(word.prefixes[0]) for k in known):
            corrected.append(word.text)
            continue
        close = difflib.get_close_matches(folded, list(known), n=1, cutoff=0.75)
        if close:
            corrected.append(known[close[0]])
            changed = True
        else:
            corrected.append(word.text)
    return " ".join(corrected) if changed else ""


def site_search(
    text: str, *, group: str | None = None, offset: int = 0, limit: int = 5, now: datetime | None = None
) -> Results:
    """Search everything public for `text`: each group's count, and up to `limit` items of each
    group (of `group` alone, from `offset`, when one is given)."""
    now = now or timezone.now()
    words = parse_query(text)
    results = Results(query=text, words=words, groups={})
    if not words:
        return results
    condition, score = _matching(words, any_word=False)
    counts = _counts(condition)
    if not any(counts.values()):
        suggestion = did_you_mean(words)
        if suggestion:
            suggested = parse_query(suggestion)
            s_condition, s_score = _matching(suggested, any_word=False)
            s_counts = _counts(s_condition)
            if any(s_counts.values()):
                condition, score, counts = s_condition, s_score, s_counts
                results.corrected = suggestion
        if not results.corrected and len(words) > 1:
            condition, score = _matching(words, any_word=True)
            counts = _counts(condition)
            results.any_word = any(counts.values())
    for slug in GROUPS:
        if group and slug != group:
            continue
        found = Group(slug=slug, count=counts[slug])
        if found.count and offset < found.count:
            found.items = _group_items(slug, condition, score, offset=offset, limit=limit, now=now)
        results.groups[slug] = found
    return results
