import re

import pytest

from library.models import Resource
from library.tests.factories import ResourceFactory
from webinars.tests.factories import AudienceFactory, TopicFactory


def titles(response) -> list[str]:
    """The resource titles in the result list, in page order."""
    html = response.content.decode()
    block = html.split('class="list-group list-group-flush resource-list"', 1)[-1].split("</ul>", 1)[0]
    return re.findall(r'<h3 class="h5 mb-1"><a href="[^"]+">([^<]+)</a></h3>', block)


def test_it_ranks_a_title_match_above_a_body_match(client, office_a):
    ResourceFactory(organisation=office_a, title="Om kontrakter", body="Alt om royalty og vederlag.")
    ResourceFactory(organisation=office_a, title="Royalty for nybegynnere", body="Kort innføring.")
    response = client.get("/ressursbank/?q=royalty")
    assert titles(response) == ["Royalty for nybegynnere", "Om kontrakter"]


def test_it_finds_nothing_for_a_word_that_is_nowhere(client, office_a):
    ResourceFactory(organisation=office_a, title="Om kontrakter")
    response = client.get("/ressursbank/?q=xylofonbyggeri")
    assert titles(response) == []
    assert "Ingen ressurser passer" in response.content.decode()


@pytest.mark.postgresql
def test_it_stems_norwegian_on_postgresql(client, office_a):
    ResourceFactory(organisation=office_a, title="Utgivelse på egen hånd", summary="", body="")
    ResourceFactory(organisation=office_a, title="Flere inntekter for musikere", summary="", body="")
    ResourceFactory(organisation=office_a, title="Noe helt annet", summary="", body="")
    assert titles(client.get("/ressursbank/?q=utgivelser")) == ["Utgivelse på egen hånd"]
    assert titles(client.get("/ressursbank/?q=inntektene")) == ["Flere inntekter for musikere"]


@pytest.mark.postgresql
def test_it_keeps_the_search_vector_current_after_an_edit(client, office_a):
    resource = ResourceFactory(organisation=office_a, title="Konsert i kveld", body="")
    resource.title = "Strømming i kveld"
    resource.save()
    assert titles(client.get("/ressursbank/?q=konsert")) == []
    assert titles(client.get("/ressursbank/?q=strømming")) == ["Strømming i kveld"]


def test_it_filters_by_kind_topic_audience_office_and_language(client, office_a, office_b):
    release = TopicFactory(slug="utgivelse", name="Utgivelse")
    freelancer = AudienceFactory(slug="frilanser", name="Frilanser")
    match = ResourceFactory(organisation=office_a, title="Treffet", language="nb")
    match.topics.add(release)
    match.audiences.add(freelancer)
    ResourceFactory(organisation=office_b, title="Feil kontor").topics.add(release)
    ResourceFactory(organisation=office_a, title="Feil tema")
    other = ResourceFactory(organisation=office_a, title="Feil språk", language="en")
    other.topics.add(release)
    ResourceFactory(organisation=office_a, title="Feil type", kind=Resource.Kind.LINK, url="https://example.no")

    assert titles(client.get("/ressursbank/?tema=utgivelse&kontor=office-a&sprak=nb&type=guide")) == ["Treffet"]
    assert titles(client.get("/ressursbank/?malgruppe=frilanser")) == ["Treffet"]
    assert titles(client.get("/ressursbank/?type=link")) == ["Feil type"]
    assert set(titles(client.get("/ressursbank/?kontor=office-b"))) == {"Feil kontor"}


def test_it_ignores_an_unknown_filter_value(client, office_a):
    ResourceFactory(organisation=office_a, title="Noe")
    response = client.get("/ressursbank/?tema=finnes-ikke&type=tull")
    assert response.status_code == 200
    assert titles(response) == ["Noe"]


def test_it_paginates_and_keeps_the_filters_in_the_page_links(client, office_a):
    topic = TopicFactory(slug="inntekt", name="Inntekt")
    for n in range(15):
        ResourceFactory(organisation=office_a, title=f"Inntekt {n:02d}").topics.add(topic)
    first = client.get("/ressursbank/?tema=inntekt")
    assert len(titles(first)) == 12
    assert "Side 1 av 2" in first.content.decode()
    assert 'href="?tema=inntekt&amp;side=2"' in first.content.decode()
    second = client.get("/ressursbank/?tema=inntekt&side=2")
    assert len(titles(second)) == 3
    assert set(titles(first)).isdisjoint(titles(second))
    assert client.get("/ressursbank/?side=999").status_code == 200


@pytest.mark.parametrize("rows", [2, 30])
def test_it_uses_a_fixed_number_of_queries_per_page(client, office_a, django_assert_num_queries, rows):
    topic = TopicFactory(slug="konsert")
    audience = AudienceFactory(slug="arrangor")
    for _ in range(rows):
        resource = ResourceFactory(organisation=office_a)
        resource.topics.add(topic)
        resource.audiences.add(audience)
    # topics, audiences and offices for the filters; count; the page; its topics; its audiences
    with django_assert_num_queries(7):
        response = client.get("/ressursbank/?q=ressurs")
    assert len(titles(response)) == min(rows, 12)


def test_the_home_page_opens_with_the_three_questions_and_the_picker(client, db):
    html = client.get("/").content.decode()
    assert "Jeg er både selvstendig næringsdrivende og ansatt – hva gjelder for meg?" in html
    assert "Hvordan gir jeg ut musikk nå?" in html
    assert "Hvordan bygger jeg nye inntektskilder?" in html
    assert "Hvem er du?" in html
    for slug in ["selvstendig", "ansatt", "selvstendig-og-ansatt", "frilanser", "arrangor", "selskap"]:
        assert f'href="/ressursbank/?malgruppe={slug}"' in html


def test_a_question_leads_to_a_filtered_list(client, office_a):
    topic = TopicFactory(slug="utgivelse", name="Utgivelse")
    ResourceFactory(organisation=office_a, title="Gi ut selv").topics.add(topic)
    ResourceFactory(organisation=office_a, title="Noe annet")
    response = client.get("/ressursbank/?sporsmal=gi-ut-musikk")
    assert "<h1>Hvordan gir jeg ut musikk nå?</h1>" in response.content.decode()
    assert titles(response) == ["Gi ut selv"]


def test_the_landing_page_works_in_english(client, office_a):
    topic = TopicFactory(slug="utgivelse", name="Utgivelse", name_en="Releasing music")
    ResourceFactory(organisation=office_a, title="Gi ut selv").topics.add(topic)
    client.cookies["django_language"] = "en"
    html = client.get("/ressursbank/").content.decode()
    assert "Who are you?" in html and "How do I release music now?" in html
    assert ">Releasing music</a>" in html and ">Releasing music</option>" in html
