"""The S3-compatible bucket's private storage (see ``ami_portal.storage``), in its own module: importing it imports
boto3 and botocore (a quarter of a second and tens of MB per process), which only a configured bucket needs."""

from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """Files in an S3-compatible bucket: objects written with the private ACL, never a URL (not even a signed one:
    downloads are streamed by the permission-checking views)."""

    default_acl = "private"
    querystring_auth = True
    custom_domain = None

    def url(self, name, parameters=None, expire=None, http_method=None):
        return ""
