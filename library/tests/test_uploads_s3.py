"""Documents on S3-compatible object storage (config/settings.py with S3_BUCKET set), against a
real S3 HTTP API (moto's server, library/tests/s3server.py): the upload lands in the bucket and
not on local disk, the object stays private, and the download view checks who may see it and
streams the object."""

import runpy
import urllib.error
import urllib.request

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from library.models import Resource
from library.tests.s3server import S3Server
from library.tests.test_uploads import PDF, files_in, post_document


@pytest.fixture(scope="module")
def s3():
    server = S3Server().start()
    yield server
    server.stop()


@pytest.fixture
def s3_storage(s3, settings, monkeypatch, tmp_path):
    # The storage the settings module builds from the environment, not one written here.
    for name, value in s3.environment().items():
        monkeypatch.setenv(name, value)
    configured = runpy.run_path(str(settings.BASE_DIR / "config" / "settings.py"))
    settings.STORAGES = {**settings.STORAGES, "default": configured["STORAGES"]["default"]}
    settings.MEDIA_ROOT = str(tmp_path)
    yield s3
    for key in s3.keys():
        s3.client().delete_object(Bucket=s3.bucket, Key=key)


def test_it_stores_an_upload_in_the_bucket_and_nothing_on_disk(client, organiser_a, office_a, s3_storage, tmp_path):
    client.force_login(organiser_a)
    response = post_document(client, office_a, SimpleUploadedFile("Lysark høst.pdf", PDF, "application/pdf"))
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert s3_storage.keys() == [resource.file.name]
    assert resource.file.name.startswith("library/documents/") and resource.file.name.endswith(".pdf")
    assert s3_storage.body(resource.file.name) == PDF
    assert resource.file_size == len(PDF)
    assert files_in(tmp_path) == []


def test_the_object_is_private_and_the_view_decides_who_downloads_it(client, organiser_a, office_a, s3_storage):
    client.force_login(organiser_a)
    post_document(client, office_a, SimpleUploadedFile("Lysark.pdf", PDF, "application/pdf"))
    resource = Resource.objects.get()

    # Straight from the bucket without a signature: refused.
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{s3_storage.endpoint_url}/{s3_storage.bucket}/{resource.file.name}", timeout=10)
    assert refused.value.code == 403

    # A draft: its organiser downloads it, nobody else.
    own = client.get(f"/ressursbank/{resource.slug}/fil/")
    assert own.status_code == 200 and b"".join(own.streaming_content) == PDF
    client.logout()
    assert client.get(f"/ressursbank/{resource.slug}/fil/").status_code == 404

    Resource.objects.update(status="published")
    download = client.get(f"/ressursbank/{resource.slug}/fil/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")
    assert "Lysark.pdf" in download["Content-Disposition"]
    assert download["Content-Type"] == "application/pdf"


def test_a_document_missing_from_the_bucket_is_not_found(client, organiser_a, office_a, s3_storage):
    client.force_login(organiser_a)
    post_document(client, office_a, SimpleUploadedFile("Borte.pdf", PDF, "application/pdf"))
    resource = Resource.objects.get()
    s3_storage.client().delete_object(Bucket=s3_storage.bucket, Key=resource.file.name)
    assert client.get(f"/ressursbank/{resource.slug}/fil/").status_code == 404
