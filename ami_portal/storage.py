"""Where uploaded files live: private storage that never hands out a URL.

Attachments, documents sent with messages, signed agreements, the call's documents and export files are stored
through Django's storage API only (``FieldFile.open``/``save``, ``storage.delete``), so the same code runs on the
local disk (the default) and on an S3-compatible object store (``AWS_STORAGE_BUCKET_NAME`` set; see the README).

Every download goes through a view that checks the person's permission and then streams the bytes from the
storage: no file, local or in the bucket, is reachable by a URL of its own. Both backends therefore answer ``url()``
with an empty string (Django's file widgets then show no link) and the bucket's objects are written private.
"""

from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage


class PrivateFileSystemStorage(FileSystemStorage):
    """Files on the local disk, outside any URL space."""

    def url(self, name):
        return ""


class PrivateS3Storage(S3Storage):
    """Files in an S3-compatible bucket: objects written with the private ACL, never a URL (not even a signed one:
    downloads are streamed by the permission-checking views)."""

    default_acl = "private"
    querystring_auth = True
    custom_domain = None

    def url(self, name, parameters=None, expire=None, http_method=None):
        return ""
