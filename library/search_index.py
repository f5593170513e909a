"""The site search's index (SearchEntry, SearchWord), kept current by the application.

One row per webinar, course, resource and organisation: the title's words, and the words of
everything else a person might search it by (summary, description or body, transcript, its
topics' and audiences' names in both languages, its office, speakers, a course's sessions),
folded by library/textsearch.py. The receivers below (connected in library/apps.py) rewrite an
item's row whenever it or something it shows is saved, inside the same transaction.

Whether an item may be found is not stored: library/site_search.py checks the item's own row on
every search (a status set by a queryset update sends no signal, and must still hide a draft).
Rows written by bulk_create (the benchmarks) are indexed by `search_index_rebuild()`
(`manage.py rebuild_search_index`); after `migrate` an empty index over existing data is built.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from accounts.models import Organisation
from library.models import Resource, SearchEntry, SearchWord
from library.textsearch import fold, index_text, words
from webinars.models import Audience, Course, Session, Speaker, Topic
from webinars.signals import offering_sessions_changed

BATCH = 500


def _names(tags: Iterable) -> list[str]:
    return [name for tag in tags for name in (tag.name, tag.name_en) if name]


def _office(org: Organisation | None) -> list[str]:
    return [org.name, org.short_name] if org else []


def _entry(kind: str, item, title: list[str], body: list[str]) -> SearchEntry:
    entry = SearchEntry(kind=kind, title_terms=index_text(*title), body_terms=index_text(*body))
    setattr(entry, kind, item)
    # The words as written, for "did you mean" (which should suggest "strømming", not "stromming").
    entry.vocabulary = {w for text in (*title, *body) if text for w in words(text)}
    return entry


def _session_entry(session: Session) -> SearchEntry:
    speakers = [s.name for s in session.speakers.all()]
    cohosts = [name for org in session.cohosts.all() for name in _office(org)]
    body = [
        session.summary,
        session.description,
        *_names(session.topics.all()),
        *_names(session.audiences.all()),
        *_office(session.organisation),
        *cohosts,
        *speakers,
    ]
    return _entry(SearchEntry.Kind.SESSION, session, [session.title], body)


def _course_entry(course: Course) -> SearchEntry:
    sessions = list(course.offering.sessions.all())
    body = [
        course.summary,
        course.description,
        *_names(course.topics.all()),
        *_names(course.audiences.all()),
        *_office(course.organisation),
        *(text for s in sessions for text in (s.title, s.summary)),
        *(speaker.name for s in sessions for speaker in s.speakers.all()),
    ]
    return _entry(SearchEntry.Kind.COURSE, course, [course.title], body)


def _resource_entry(resource: Resource) -> SearchEntry:
    body = [
        resource.summary,
        resource.body,
        resource.transcript,
        str(Resource.Kind(resource.kind).label),
        *_names(resource.topics.all()),
        *_names(resource.audiences.all()),
        *_office(resource.organisation),
        *_office(resource.partner),
    ]
    return _entry(SearchEntry.Kind.RESOURCE, resource, [resource.title], body)


def _organisation_entry(org: Organisation) -> SearchEntry:
    return _entry(
        SearchEntry.Kind.ORGANISATION, org, [org.name, org.short_name], [org.region, org.description, org.helps_with]
    )


def _write(entries: list[SearchEntry], field: str, ids: list[int]) -> None:
    SearchEntry.objects.filter(**{f"{field}__in": ids}).delete()
    SearchEntry.objects.bulk_create(entries, batch_size=BATCH)
    _remember_words({w for e in entries for w in e.vocabulary})


def _remember_words(written: set[str]) -> None:
    rows = [
        SearchWord(word=w, folded=fold(w), length=len(fold(w)))
        for w in written
        if 3 <= len(w) <= 60 and not w.isdigit()
    ]
    SearchWord.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)


def index_sessions(ids: Iterable[int]) -> None:
    ids = list(ids)
    sessions = (
        Session.objects.filter(pk__in=ids)
        .select_related("organisation")
        .prefetch_related("topics", "audiences", "speakers", "cohosts")
    )
    _write([_session_entry(s) for s in sessions], "session_id", ids)


def index_courses(ids: Iterable[int]) -> None:
    ids = list(ids)
    courses = (
        Course.objects.filter(pk__in=ids)
        .select_related("organisation", "offering")
        .prefetch_related("topics", "audiences", "offering__sessions__speakers")
    )
    _write([_course_entry(c) for c in courses], "course_id", ids)


def index_resources(ids: Iterable[int]) -> None:
    ids = list(ids)
    resources = (
        Resource.objects.filter(pk__in=ids)
        .select_related("organisation", "partner")
        .prefetch_related("topics", "audiences")
    )
    _write([_resource_entry(r) for r in resources], "resource_id", ids)


def index_organisations(ids: Iterable[int]) -> None:
    ids = list(ids)
    _write([_organisation_entry(o) for o in Organisation.objects.filter(pk__in=ids)], "organisation_id", ids)


def _in_batches(model, index) -> None:
    ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        index(ids[start : start + BATCH])


def search_index_rebuild() -> None:
    """Index every item again (after bulk_create, or to drop words no item uses any more)."""
    SearchWord.objects.all().delete()
    SearchEntry.objects.all().delete()
    _in_batches(Session, index_sessions)
    _in_batches(Course, index_courses)
    _in_batches(Resource, index_resources)
    _in_batches(Organisation, index_organisations)


# Receivers


def _course_ids_of_sessions(session_ids: Iterable[int]) -> list[int]:
    return list(Course.objects.filter(offering__sessions__in=list(session_ids)).values_list("pk", flat=True))


def _session_changed(session_ids: Iterable[int]) -> None:
    session_ids = list(session_ids)
    index_sessions(session_ids)
    index_courses(_course_ids_of_sessions(session_ids))


def _on_session_saved(sender, instance: Session, raw=False, **kwargs) -> None:
    if not raw:
        _session_changed([instance.pk])


def _on_session_deleted(sender, instance: Session, **kwargs) -> None:
    # Its course's words are rewritten without it (the session's own row went with it).
    index_courses(Course.objects.filter(offering_id=instance.offering_id).values_list("pk", flat=True))


def _on_speaker_changed(sender, instance: Speaker, raw=False, **kwargs) -> None:
    if not raw and Session.objects.filter(pk=instance.session_id).exists():
        _session_changed([instance.session_id])


def _on_course_saved(sender, instance: Course, raw=False, **kwargs) -> None:
    if not raw:
        index_courses([instance.pk])


def _on_resource_saved(sender, instance: Resource, raw=False, **kwargs) -> None:
    if not raw:
        index_resources([instance.pk])


def _on_organisation_saved(sender, instance: Organisation, raw=False, created=False, **kwargs) -> None:
    if raw:
        return
    index_organisations([instance.pk])
    if not created:
        # Items carry their office's name: a renamed office is found under its new name.
        _session_changed(Session.objects.filter(organisation=instance).values_list("pk", flat=True))
        index_courses(Course.objects.filter(organisation=instance).values_list("pk", flat=True))
        index_resources(Resource.objects.filter(organisation=instance).values_list("pk", flat=True))


def _on_tag_saved(sender, instance, raw=False, created=False, **kwargs) -> None:
    if raw or created:
        return
    _session_changed(instance.sessions.values_list("pk", flat=True))
    index_courses(instance.courses.values_list("pk", flat=True))
    index_resources(instance.resources.values_list("pk", flat=True))


def _m2m_receiver(index):
    def receiver(sender, instance, action: str, reverse: bool, pk_set=None, **kwargs) -> None:
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        if not reverse:
            index([instance.pk])
        elif pk_set:
            index(pk_set)

    return receiver


def _on_offering_sessions_changed(sender, offering, **kwargs) -> None:
    # course_sessions_set moves sessions with queryset updates: the course's words change.
    index_courses(Course.objects.filter(offering=offering).values_list("pk", flat=True))


def _on_migrated(sender, **kwargs) -> None:
    # An existing database that just gained the index: build it once.
    if not SearchEntry.objects.exists() and (Session.objects.exists() or Resource.objects.exists()):
        search_index_rebuild()


def connect_receivers(app_config) -> None:
    uid = "search-index-"
    post_save.connect(_on_session_saved, sender=Session, dispatch_uid=uid + "session")
    post_delete.connect(_on_session_deleted, sender=Session, dispatch_uid=uid + "session-delete")
    post_save.connect(_on_speaker_changed, sender=Speaker, dispatch_uid=uid + "speaker")
    post_delete.connect(_on_speaker_changed, sender=Speaker, dispatch_uid=uid + "speaker-delete")
    post_save.connect(_on_course_saved, sender=Course, dispatch_uid=uid + "course")
    post_save.connect(_on_resource_saved, sender=Resource, dispatch_uid=uid + "resource")
    post_save.connect(_on_organisation_saved, sender=Organisation, dispatch_uid=uid + "organisation")
    post_save.connect(_on_tag_saved, sender=Topic, dispatch_uid=uid + "topic")
    post_save.connect(_on_tag_saved, sender=Audience, dispatch_uid=uid + "audience")
    relations = [
        (Session.topics.through, _session_changed),
        (Session.audiences.through, _session_changed),
        (Session.cohosts.through, _session_changed),
        (Course.topics.through, index_courses),
        (Course.audiences.through, index_courses),
        (Resource.topics.through, index_resources),
        (Resource.audiences.through, index_resources),
    ]
    for through, index in relations:
        m2m_changed.connect(_m2m_receiver(index), sender=through, weak=False, dispatch_uid=uid + through._meta.label)
    offering_sessions_changed.connect(_on_offering_sessions_changed, dispatch_uid=uid + "offering-sessions")
    post_migrate.connect(_on_migrated, sender=app_config, dispatch_uid=uid + "migrated")
