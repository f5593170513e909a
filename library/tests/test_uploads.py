"""Documents: extension, content signature and size are checked; a name with path
separators or ".." is refused; nothing is written when the upload is refused."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from library.forms import ResourceForm
from library.models import Resource

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PPTX = b"PK\x03\x04" + b"\x00" * 60


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def files_in(folder) -> list[str]:
    return [name for _root, _dirs, names in os.walk(folder) for name in names]


def post_document(client, office, upload):
    data = {
        "kind": "document",
        "organisation": office.pk,
        "title": "Lysark fra webinaret",
        "language": "nb",
        "visibility": "public",
        "upload": upload,
    }
    return client.post("/arbeidsrom/ressurser/ny/", data)


def test_it_stores_a_pdf_under_a_generated_name_and_serves_it(client, organiser_a, office_a, media):
    client.force_login(organiser_a)
    response = post_document(client, office_a, SimpleUploadedFile("Lysark høst.pdf", PDF, "application/pdf"))
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert resource.file_name == "Lysark høst.pdf"
    assert resource.file.name.startswith("library/documents/") and resource.file.name.endswith(".pdf")
    assert "Lysark" not in resource.file.name
    assert len(files_in(media)) == 1
    resource.status = Resource.Status.PUBLISHED
    resource.save()
    client.logout()
    download = client.get(f"/ressursbank/{resource.slug}/fil/")
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]


def test_it_accepts_a_pptx(client, organiser_a, office_a):
    client.force_login(organiser_a)
    response = post_document(client, office_a, SimpleUploadedFile("foredrag.pptx", PPTX))
    assert response.status_code == 302
    assert Resource.objects.get().file_size == len(PPTX)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "Bare PDF (.pdf) og presentasjoner (.pptx, .odp) kan lastes opp."),
        ("falsk.pdf", b"<html>not a pdf</html>", "Innholdet i filen stemmer ikke med filtypen .pdf."),
        ("falsk.pptx", PDF, "Innholdet i filen stemmer ikke med filtypen .pptx."),
        ("..notater.pdf", PDF, "inneholder mappeskille eller «..»"),
    ],
)
def test_it_refuses_a_wrong_file_cleanly(client, organiser_a, office_a, media, name, content, message):
    client.force_login(organiser_a)
    response = post_document(client, office_a, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Resource.objects.exists()
    assert files_in(media) == []


def test_it_refuses_an_oversize_file_cleanly(client, organiser_a, office_a, media, settings):
    settings.LIBRARY_MAX_UPLOAD_BYTES = 1024
    client.force_login(organiser_a)
    response = post_document(client, office_a, SimpleUploadedFile("stor.pdf", PDF + b"0" * 2048))
    assert "Filen er for stor (2,0\xa0KB). Største tillatte størrelse er 1,0\xa0KB." in response.content.decode()
    assert "Last opp dokumentet." not in response.content.decode()
    assert not Resource.objects.exists()
    assert files_in(media) == []


@pytest.mark.parametrize("name", ["..\\..\\config\\settings.pdf", "mappe\\fil.pdf", "a..b.pdf"])
def test_it_refuses_a_name_with_path_separators(organiser_a, office_a, media, name):
    # Django's multipart parser already cuts directory parts from names it receives over
    # HTTP; the form refuses whatever still carries a separator or "..".
    upload = SimpleUploadedFile(name, PDF)
    form = ResourceForm(
        {"kind": "document", "organisation": office_a.pk, "title": "Notat", "language": "nb", "visibility": "public"},
        {"upload": upload},
        user=organiser_a,
    )
    assert not form.is_valid()
    assert "inneholder mappeskille eller «..»" in form.errors["upload"][0]
    assert files_in(media) == []


def test_a_gated_document_is_not_downloadable_by_others(client, organiser_a, office_a, participant):
    client.force_login(organiser_a)
    post_document(client, office_a, SimpleUploadedFile("intern.pdf", PDF))
    Resource.objects.update(status="published", visibility="signed_in")
    client.logout()
    assert client.get(f"/ressursbank/{Resource.objects.get().slug}/fil/").status_code == 404
    client.force_login(participant)
    assert client.get(f"/ressursbank/{Resource.objects.get().slug}/fil/").status_code == 200
