"""CVs in an S3-compatible bucket (several app servers): a real S3 server on the loopback,
the desk's own upload and download views, the permission check before any byte."""

import logging
import uuid

import boto3
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from moto.server import ThreadedMotoServer

from candidates import gdpr
from candidates.tests.test_cv import PDF, docx_bytes, upload
from staffing.settings import private_storage_config

REGION = "eu-west-3"
KEYS = {"aws_access_key_id": "desk-test", "aws_secret_access_key": "desk-test-secret"}


@pytest.fixture(scope="session")
def s3_endpoint():
    """An S3 server for the whole session, on a free loopback port."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_endpoint):
    return boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION, **KEYS)


@pytest.fixture
def bucket(s3, s3_endpoint, settings, monkeypatch):
    """A fresh private bucket per test, and the app's private storage pointed at it through
    the same environment variables as in production."""
    name = f"cvs-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    monkeypatch.setenv("PRIVATE_STORAGE_ENDPOINT_URL", s3_endpoint)
    monkeypatch.setenv("PRIVATE_STORAGE_REGION", REGION)
    monkeypatch.setenv("PRIVATE_STORAGE_ACCESS_KEY_ID", KEYS["aws_access_key_id"])
    monkeypatch.setenv("PRIVATE_STORAGE_SECRET_ACCESS_KEY", KEYS["aws_secret_access_key"])
    settings.STORAGES = {**settings.STORAGES, "private": private_storage_config(name)}
    return name


def keys_in(s3, bucket):
    return sorted(item["Key"] for item in s3.list_objects_v2(Bucket=bucket).get("Contents", []))


@pytest.fixture
def desk(client, recruiter):
    client.force_login(recruiter)
    return client


@pytest.fixture
def with_cv(candidate, bucket):
    candidate.cv.save("abc.pdf", ContentFile(PDF))
    return candidate


def cv_url(candidate):
    return reverse("candidates:cv", args=[candidate.pk])


def test_a_cv_uploaded_at_the_desk_lands_in_the_bucket_and_not_on_disk(
    desk, candidate, s3, bucket, settings
):
    response = upload(desk, candidate, "Camille CV.pdf", PDF)

    assert response.status_code == 302
    candidate.refresh_from_db()
    assert keys_in(s3, bucket) == [candidate.cv.name]
    assert s3.get_object(Bucket=bucket, Key=candidate.cv.name)["Body"].read() == PDF
    assert not settings.PRIVATE_MEDIA_ROOT.exists()


def test_a_cv_object_grants_nothing_to_the_public(desk, candidate, s3, bucket):
    upload(desk, candidate, "cv.pdf", PDF)
    candidate.refresh_from_db()

    grants = s3.get_object_acl(Bucket=bucket, Key=candidate.cv.name)["Grants"]

    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert [grant["Grantee"]["Type"] for grant in grants] == ["CanonicalUser"]


def test_a_recruiter_downloads_the_cv_from_the_bucket_through_the_view_and_it_is_logged(
    desk, recruiter, with_cv, caplog
):
    with caplog.at_level(logging.INFO, logger="staffing.cv_access"):
        response = desk.get(cv_url(with_cv))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="CV-camille-lefevre.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PDF
    (record,) = [r for r in caplog.records if r.name == "staffing.cv_access"]
    assert (record.user_id, record.candidate_id) == (recruiter.pk, with_cv.pk)


def test_a_client_contact_of_another_company_gets_404_for_a_cv_in_the_bucket(client, bob, with_cv):
    client.force_login(bob)

    assert client.get(cv_url(with_cv)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in_for_a_cv_in_the_bucket(client, with_cv):
    response = client.get(cv_url(with_cv))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_cv_missing_from_the_bucket_gives_404(desk, with_cv, s3, bucket):
    s3.delete_object(Bucket=bucket, Key=with_cv.cv.name)

    assert desk.get(cv_url(with_cv)).status_code == 404


def test_replacing_a_cv_deletes_the_old_object(
    desk, candidate, s3, bucket, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(desk, candidate, "cv.pdf", PDF)
    candidate.refresh_from_db()
    old_name = candidate.cv.name

    with django_capture_on_commit_callbacks(execute=True):
        upload(desk, candidate, "cv.docx", docx_bytes())

    candidate.refresh_from_db()
    assert candidate.cv.name != old_name
    assert keys_in(s3, bucket) == [candidate.cv.name]


def test_anonymising_deletes_the_cv_object(
    with_cv, recruiter, s3, bucket, django_capture_on_commit_callbacks
):
    assert keys_in(s3, bucket) == [with_cv.cv.name]

    with django_capture_on_commit_callbacks(execute=True):
        gdpr.anonymise_candidate(candidate=with_cv, by=recruiter)

    assert keys_in(s3, bucket) == []


def test_the_admin_links_the_cv_to_the_download_view_never_to_the_bucket(
    client, admin_user, with_cv, s3_endpoint
):
    client.force_login(admin_user)

    page = client.get(reverse("admin:candidates_candidate_change", args=[with_cv.pk]))

    html = page.content.decode()
    assert f'href="{cv_url(with_cv)}"' in html
    assert s3_endpoint not in html
    assert "X-Amz-Signature" not in html
