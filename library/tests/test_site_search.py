import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from library.models import Resource
from library.services import resource_unpublish
from library.tests.factories import ResourceFactory
from library.tests.search_corpus import build_corpus
from webinars.page_cache import catalogue_cache_reset
from webinars.tests.factories import STREAM_URL, SessionFactory


@pytest.fixture(autouse=True)
def fresh_cache():
    catalogue_cache_reset()
    yield
    catalogue_cache_reset()


def result_titles(response) -> list[str]:
    return re.findall(r'<h3 class="h5 mb-1"><a href="[^"]+">([^<]+)</a></h3>', response.content.decode())


def headings(response) -> list[str]:
    return re.findall(r'<h2 class="h4" id="heading-[a-z]+">([^<]+)</h2>', response.content.decode())


@pytest.mark.django_db
def test_it_shows_every_kind_grouped_with_counts(client):
    build_corpus()
    response = client.get("/sok/?q=strømming")
    assert response.status_code == 200
    assert headings(response) == ["Webinarer og kurs (1)", "Ressurser (1)"]
    assert result_titles(response) == [
        "Strømming for artister: slik fungerer utbetalingene",
        "Slik får du betalt fra strømmetjenestene",
    ]
    html = response.content.decode()
    assert "Utkast om strømming" not in html
    assert "Lukket opptak om strømming" not in html
    assert "Hemmelig strømmeseminar" not in html
    assert STREAM_URL not in html


@pytest.mark.django_db
def test_it_finds_organisations_and_their_contact(client):
    build_corpus()
    response = client.get("/sok/?q=vestland")
    assert "Organisasjoner (1)" in headings(response)
    assert "mailto:post@brak.example.no" in response.content.decode()


@pytest.mark.django_db
def test_it_links_to_all_results_of_a_group(client, office_a):
    for n in range(7):
        ResourceFactory(organisation=office_a, title=f"Royalty del {n}")
    response = client.get("/sok/?q=royalty")
    assert len(result_titles(response)) == 5
    assert 'href="/sok/?q=royalty&amp;vis=ressurser">Se alle 7 treff</a>' in response.content.decode()
    more = client.get("/sok/?q=royalty&vis=ressurser")
    assert len(result_titles(more)) == 7
    assert "Tilbake til alle treff" in more.content.decode()


@pytest.mark.django_db
def test_it_lists_upcoming_before_past_and_links_a_past_webinar_to_its_recording(client):
    build_corpus()
    response = client.get("/sok/?q=booking")
    titles = result_titles(response)
    assert titles.index("Booking av konserter i Norden") < titles.index("Opptak: Booking av egen turné")
    html = response.content.decode()
    assert "Tidligere" in html
    assert 'href="/ressursbank/opptak-booking-norden/">Se opptaket: Opptak fra bookingwebinaret</a>' in html


@pytest.mark.django_db
def test_it_corrects_a_typo(client):
    build_corpus()
    response = client.get("/sok/?q=vedelrag")
    assert "Ingen treff på «vedelrag». Viser treff for «vederlag»." in response.content.decode()
    assert "Vederlag fra Gramo og TONO" in result_titles(response)


@pytest.mark.django_db
def test_a_search_without_results_offers_the_questions_the_roles_and_the_offices(client):
    build_corpus()
    response = client.get("/sok/?q=xylofonbyggeri")
    html = response.content.decode()
    assert "Ingen treff på «xylofonbyggeri»" in html
    assert "Hvordan gir jeg ut musikk nå?" in html  # one of the three questions
    assert "Hvem er du?" in html and "?malgruppe=frilanser" in html  # the role picker
    assert "mailto:post@brak.example.no" in html and "mailto:post@oks.example.no" in html


@pytest.mark.django_db
def test_it_speaks_english(client):
    build_corpus()
    client.cookies["django_language"] = "en"
    response = client.get("/sok/?q=royalties")
    html = response.content.decode()
    assert "Resources (2)" in headings(response)
    assert 'placeholder="Search"' in html
    empty = client.get("/sok/?q=xylofonbyggeri").content.decode()
    assert "No results for «xylofonbyggeri»" in empty
    assert "Ask your music office" in empty


@pytest.mark.django_db
def test_the_header_has_the_search_box_on_every_page(client, office_a):
    resource = ResourceFactory(organisation=office_a)
    for path in ["/", "/webinarer/", "/ressursbank/", resource.get_absolute_url(), "/organisasjoner/"]:
        html = client.get(path).content.decode()
        assert 'action="/sok/" role="search"' in html, path


@pytest.mark.django_db
def test_the_index_follows_changes(client, office_a, django_capture_on_commit_callbacks):
    resource = ResourceFactory(organisation=office_a, title="Om noe", summary="", body="")
    assert result_titles(client.get("/sok/?q=honorarer")) == []
    resource.title = "Om honorarer"
    resource.save()
    assert result_titles(client.get("/sok/?q=honorar")) == ["Om honorarer"]
    with django_capture_on_commit_callbacks(execute=True):  # the cache's version is replaced on commit
        resource_unpublish(resource=resource)  # a queryset update: no signal, still hidden at once
    assert result_titles(client.get("/sok/?q=honorar")) == []


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_data(client, office_a):
    def queries(path: str) -> int:
        catalogue_cache_reset()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    for n in range(3):
        ResourceFactory(organisation=office_a, title=f"Strømming {n}")
        SessionFactory(organisation=office_a, title=f"Strømming live {n}")
    few = queries("/sok/?q=strømming")
    for n in range(3, 15):
        ResourceFactory(organisation=office_a, title=f"Strømming {n}", kind=Resource.Kind.LINK)
        SessionFactory(organisation=office_a, title=f"Strømming live {n}")
    # the count of each group, the webinars and courses, their recordings, the resources,
    # the organisations (none here), and the session/caching bookkeeping of the page
    assert queries("/sok/?q=strømming") == few
    assert queries("/sok/?q=xylofonbyggeri") <= few + 2  # typo candidates, any-word retry skipped (one word)


@pytest.mark.django_db
def test_a_guide_leads_to_upcoming_webinars_and_courses_on_its_subject_and_to_its_office(client):
    build_corpus()
    html = client.get("/ressursbank/enk-skatt/").content.decode()
    assert "Kommende webinarer og kurs om det samme" in html
    assert ">Skatt for selvstendig næringsdrivende musikere</a>" in html  # shares the audience and topic
    assert ">Gi ut musikk på egen hånd</a>" in html  # a course for the same audience
    assert "Booking av konserter i Norden" not in html  # past
    assert "Hemmelig strømmeseminar" not in html  # draft
    assert 'Spør Brak – musikkontor for Vestland: <a href="mailto:post@brak.example.no">' in html


@pytest.mark.postgresql
@pytest.mark.django_db
def test_postgresql_answers_the_word_patterns_from_trigram_indexes():
    # A search nobody asked before is not served from the cache: its LIKE patterns must come
    # from an index, not a scan of every index row (library/migrations/0007). With the planner
    # told not to scan, the plan of a search's count names the trigram indexes.
    from library import site_search
    from library.textsearch import parse_query

    condition, _ = site_search._matching(parse_query("kompensasjon utgivelse"), any_word=False)
    sql, params = site_search.SearchEntry.objects.filter(condition).values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_entry_title_trgm" in plan
    assert "search_entry_body_trgm" in plan
