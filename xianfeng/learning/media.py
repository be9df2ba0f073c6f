"""Serve course files ourselves (intranet installations have no CDN), with HTTP Range requests so
video and audio can be sought and resumed on slow connections."""

import mimetypes
import re

from django.http import FileResponse, HttpResponse, StreamingHttpResponse

from xianfeng.core import uploads

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def serve(request, fieldfile):
    size = fieldfile.size
    content_type = mimetypes.guess_type(fieldfile.name)[0] or "application/octet-stream"
    wanted = _parse_range(request.headers.get("Range", ""), size)
    if wanted is None:
        response = FileResponse(fieldfile.open("rb"), content_type=content_type)
    elif wanted == "unsatisfiable":
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    else:
        start, end = wanted
        response = StreamingHttpResponse(
            _read(fieldfile, start, end - start + 1), status=206, content_type=content_type
        )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    return uploads.harden(response, uploads.kind_of_name(fieldfile))


def _parse_range(header, size):
    """(start, end) inclusive, None for no/unsupported header, or "unsatisfiable"."""
    match = RANGE.match(header.strip())
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":
        start, end = max(size - int(last), 0), size - 1
    else:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    if start >= size or start > end:
        return "unsatisfiable"
    return start, end


def _read(fieldfile, start, length):
    with fieldfile.open("rb") as handle:
        handle.seek(start)
        while length > 0:
            chunk = handle.read(min(CHUNK, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk
