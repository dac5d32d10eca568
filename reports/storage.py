"""Serving private files: always as a download, never rendered inline from our origin."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404


def private_file_response(name: str, filename: str, content_type: str) -> FileResponse:
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
