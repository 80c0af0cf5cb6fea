"""Where uploaded files live: private storage that never hands out a URL.

Attachments, documents sent with messages, signed agreements, the call's documents and export files are stored
through Django's storage API only (``FieldFile.open``/``save``, ``storage.delete``), so the same code runs on the
local disk (the default) and on an S3-compatible object store (``AWS_STORAGE_BUCKET_NAME`` set; see the README).

Every download goes through a view that checks the person's permission and then streams the bytes from the
storage: no file, local or in the bucket, is reachable by a URL of its own. Both backends therefore answer ``url()``
with an empty string (Django's file widgets then show no link) and the bucket's objects are written private.
The bucket's backend is in ``storage_s3`` so that boto is imported only where a bucket is configured.
"""

from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    """Files on the local disk, outside any URL space."""

    def url(self, name):
        return ""
