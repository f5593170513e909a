"""A new calendar address returns to a page of this site only: the `next` field of its form
cannot send the person elsewhere (an open redirect found beside issue 11)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "javascript:alert(1)",
        "-1",
        "x",
    ],
)
def test_it_refuses_to_leave_the_site(client, participant, target):
    client.force_login(participant)
    response = client.post("/mine-pameldinger/kalender/ny-lenke/", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == "/mine-pameldinger/kalender/"


def test_it_returns_to_the_page_it_came_from(client, participant):
    client.force_login(participant)
    response = client.post("/mine-pameldinger/kalender/ny-lenke/", {"next": "/mine-pameldinger/"})
    assert response["Location"] == "/mine-pameldinger/"
