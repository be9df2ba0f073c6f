from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect

from . import uploads


@login_required
def home(request):
    user = request.user
    if user.member_id and not _has_any_grant(user):
        return redirect("members:detail", user.member_id)
    return redirect("orgs:tree")


def _has_any_grant(user):
    from xianfeng.accounts.roles import Perm
    from xianfeng.accounts.scoping import has_perm_anywhere

    return has_perm_anywhere(user, Perm.ORG_VIEW)


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def linked_file(request, token):
    """A stored file behind a signed link (see uploads.file_link); 404 for forged or expired."""
    name = uploads.linked_name(token)
    if not name:
        raise Http404("链接无效或已过期")
    return uploads.serve_stored(default_storage, name)
