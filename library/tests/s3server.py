"""A real S3 HTTP API for the tests, without Docker: moto's server in a thread of the test
process, on a free port, with one private bucket of its own. It answers boto3 (and so django-storages)
as S3 and MinIO do, and refuses an unsigned request for a private object with 403."""

from __future__ import annotations

import logging
import uuid

import boto3
from moto.server import ThreadedMotoServer

REGION = "eu-north-1"
ACCESS_KEY_ID = "test-access-key"
SECRET_ACCESS_KEY = "test-secret-access-key"


class S3Server:
    def __init__(self):
        # moto keeps its buckets per process, not per server: each server gets a bucket of its own.
        self.bucket = f"musikk-uploads-{uuid.uuid4().hex[:12]}"
        self.server: ThreadedMotoServer | None = None
        self.endpoint_url = ""

    def start(self) -> S3Server:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.server.start()
        host, port = self.server.get_host_and_port()
        self.endpoint_url = f"http://{host}:{port}"
        self.client().create_bucket(Bucket=self.bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=ACCESS_KEY_ID,
            aws_secret_access_key=SECRET_ACCESS_KEY,
            region_name=REGION,
        )

    def keys(self) -> list[str]:
        listing = self.client().list_objects_v2(Bucket=self.bucket)
        return [item["Key"] for item in listing.get("Contents", [])]

    def body(self, key: str) -> bytes:
        return self.client().get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def environment(self) -> dict[str, str]:
        """The variables that point the platform's storage at this server (config/settings.py)."""
        return {
            "S3_BUCKET": self.bucket,
            "S3_ENDPOINT_URL": self.endpoint_url,
            "S3_ACCESS_KEY_ID": ACCESS_KEY_ID,
            "S3_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
            "S3_REGION": REGION,
        }
