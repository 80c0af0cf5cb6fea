"""An S3-compatible object store on the loopback for the tests of uploaded files: moto's server mode in this
process, and a fresh private bucket made the default storage as ``ami_portal/settings/base.py`` does when
``AWS_STORAGE_BUCKET_NAME`` is set. Registered for every test by tests/conftest.py (``pytest_plugins``)."""

import os
import uuid

import boto3
import pytest
from moto.server import ThreadedMotoServer

from ami_portal.settings.object_storage import s3_storage

CREDENTIALS = {"aws_access_key_id": "ami-test", "aws_secret_access_key": "ami-test-secret", "region_name": "eu-west-3"}


@pytest.fixture(scope="module")
def object_store():
    """An S3 server on the loopback; MOTO_PORT picks its port (0: any free one)."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=int(os.environ.get("MOTO_PORT", "0")), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(settings, object_store):
    """A fresh private bucket, made the default storage exactly as base.py does when AWS_STORAGE_BUCKET_NAME is set."""
    name = f"ami-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=object_store, **CREDENTIALS)
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": CREDENTIALS["region_name"]})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(
            bucket_name=name,
            endpoint_url=object_store,
            region_name=CREDENTIALS["region_name"],
            access_key=CREDENTIALS["aws_access_key_id"],
            secret_key=CREDENTIALS["aws_secret_access_key"],
        ),
    }
    return client, name


def keys(bucket) -> list[str]:
    client, name = bucket
    return [item["Key"] for item in client.list_objects_v2(Bucket=name).get("Contents", [])]
