from io import StringIO

from accounts import demo as accounts_demo
from library import demo
from library.models import Resource
from webinars.models import Audience, Topic


def test_the_demo_seeds_resources_idempotently_and_they_render(client, db):
    accounts_demo.seed(stdout=StringIO())
    demo.seed(stdout=StringIO())
    first = set(Resource.objects.values_list("slug", flat=True))
    demo.seed(stdout=StringIO())
    assert set(Resource.objects.values_list("slug", flat=True)) == first
    assert len(first) >= 12
    assert {"selvstendig-og-ansatt", "frilanser", "arrangor", "selskap"} <= set(
        Audience.objects.values_list("slug", flat=True)
    )
    assert {"utgivelse", "inntekt", "stotteordninger"} <= set(Topic.objects.values_list("slug", flat=True))
    partners = set(Resource.objects.filter(kind="link").values_list("partner__slug", flat=True))
    assert partners == {"gramart", "musikernes-fellesorganisasjon", "kulturradet", "nav-selvstendig"}
    for question in ("selvstendig-og-ansatt", "gi-ut-musikk", "nye-inntekter"):
        html = client.get(f"/ressursbank/?sporsmal={question}").content.decode()
        assert "0 ressurser" not in html
    for resource in Resource.objects.all():
        assert client.get(resource.get_absolute_url()).status_code == 200
    assert client.get("/aktuelt/feed/").status_code == 200
