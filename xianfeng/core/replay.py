"""Offline replays from the phone app (docs/modules/pwa.md).

A form the grid worker filled in without signal is queued on the phone with the form's
one-time token and posted again when the signal returns, with the token in the
`Idempotency-Key` header. Such a post is answered in JSON, so the phone can tell:

- 201: stored (or stored before: the same token answers the same body, with
  `Idempotent-Replayed: true`), never twice;
- 400: the token is not a UUID;
- 409: a conflict the worker must look at (the household changed or left their grid, a rule
  refused it); nothing was stored, the phone keeps it in its 同步冲突 list;
- 422: the form itself is invalid.

Tokens are stored as "<user id>:<token>" by the callers, so one user's token can never find,
and never answer with, another user's row.
"""

import uuid

from django.http import JsonResponse

HEADER = "HTTP_IDEMPOTENCY_KEY"


def _json(body, status):
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


class BadKey(ValueError):
    pass


def replay_token(request):
    """The normalised UUID of an offline replay, None for an ordinary post; BadKey if invalid."""
    raw = request.META.get(HEADER)
    if raw is None:
        return None
    try:
        return uuid.UUID(raw.strip()).hex
    except (ValueError, AttributeError) as exc:
        raise BadKey(raw) from exc


def scoped(user, token, prefix=""):
    """The stored key: the user's id first, so tokens are never shared between users."""
    return f"{prefix}{user.pk}:{token}"


def stored(*, obj_id, url, message, replayed):
    response = _json({"ok": True, "id": obj_id, "url": url, "message": message}, 201)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


def bad_key():
    return _json({"ok": False, "message": "提交令牌无效（应为 UUID），请刷新页面后重新填写"}, 400)


def conflict(message):
    return _json({"ok": False, "conflict": True, "message": str(message)}, 409)


def invalid(form):
    text = "；".join(str(e) for errs in form.errors.values() for e in errs)
    return _json({"ok": False, "message": text, "errors": form.errors.get_json_data()}, 422)
