"""Uploaded import files, between the upload and the user's confirmation.

They are kept under DATA_DIR/imports, outside STATIC_ROOT (the only directory the server hands
out as files), named by a random id. A file is deleted as soon as its import is written, and
one never confirmed is deleted after KEPT (with its job): on every upload, and by
`mawa purge_uploads` (for a daily timer)."""

import datetime as dt
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from mawa.registry.models import ImportJob

KEPT = dt.timedelta(days=1)


def upload_dir() -> Path:
    return Path(settings.DATA_DIR) / "imports"


def store(raw: bytes) -> Path:
    directory = upload_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = directory / f"{uuid.uuid4().hex}.upload"
    path.write_bytes(raw)
    path.chmod(0o600)
    return path


def discard(job: ImportJob) -> None:
    Path(job.stored_as).unlink(missing_ok=True)


def purge(*, now=None) -> int:
    """Delete unconfirmed uploads older than KEPT, and their jobs; also any file left in the
    directory that old (a job deleted by hand). Returns how many files went."""
    cutoff = (now or timezone.now()) - KEPT
    removed = 0
    stale = ImportJob.objects.filter(status=ImportJob.Status.CHECKED, created_at__lt=cutoff)
    for job in stale:
        path = Path(job.stored_as)
        if path.exists():
            path.unlink()
            removed += 1
    stale.delete()
    directory = upload_dir()
    if directory.is_dir():
        for path in directory.glob("*.upload"):
            modified = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)
            if modified < cutoff:
                path.unlink(missing_ok=True)
                removed += 1
    return removed
