"""The STORAGES entry of an S3-compatible bucket (ami_portal/storage.py), one definition for the settings and the
tests. Short timeouts and few retries: a store that is down costs a request seconds, not minutes, and the view
answers the French 503 page (ami_portal/errors.py). botocore is imported here only when a bucket is configured."""


def s3_storage(
    *,
    bucket_name: str,
    endpoint_url: str | None,
    region_name: str | None,
    access_key: str | None,
    secret_key: str | None,
    location: str = "",
    addressing_style: str | None = None,
) -> dict:
    from botocore.config import Config

    return {
        "BACKEND": "ami_portal.storage_s3.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": bucket_name,
            "endpoint_url": endpoint_url,
            "region_name": region_name,
            "access_key": access_key,
            "secret_key": secret_key,
            "location": location,
            # Names are generated (uuid): never replace an object silently if one ever collides.
            "file_overwrite": False,
            "client_config": Config(
                connect_timeout=3,
                read_timeout=20,
                retries={"max_attempts": 2, "mode": "standard"},
                s3={"addressing_style": addressing_style} if addressing_style else None,
                signature_version="s3v4",
            ),
        },
    }
