"""A local S3-compatible server (moto's server mode) on loopback, and the storage settings that point at it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import boto3
import environ
from moto.server import ThreadedMotoServer

from config.settings.storage import default_storage_config

ACCESS_KEY = "centric-test"
SECRET_KEY = "centric-test-secret"


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    """Start moto on 127.0.0.1 (a free port); yields its endpoint URL, stops it afterwards."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def create_bucket(endpoint: str, bucket: str) -> None:
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=bucket)


def s3_storages(endpoint: str, bucket: str, staticfiles: dict) -> dict:
    """STORAGES as production builds them from CENTRIC_STORAGE=s3 and the bucket variables."""
    env = environ.Env()
    variables = {
        "CENTRIC_STORAGE": "s3",
        "CENTRIC_S3_BUCKET": bucket,
        "CENTRIC_S3_ENDPOINT_URL": endpoint,
        "CENTRIC_S3_ACCESS_KEY": ACCESS_KEY,
        "CENTRIC_S3_SECRET_KEY": SECRET_KEY,
        "CENTRIC_S3_REGION": "us-east-1",
    }
    with _environment(variables):
        return {"default": default_storage_config(env), "staticfiles": staticfiles}


@contextlib.contextmanager
def _environment(variables: dict[str, str]) -> Iterator[None]:
    import os

    previous = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
