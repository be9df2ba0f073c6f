from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from .workbench import Urgency, todo_for


@login_required
def home(request):
    """工作台: what waits for the user, most urgent first; their own figures after."""
    items = todo_for(request.user)
    return render(
        request,
        "core/workbench.html",
        {
            "work": [i for i in items if i.urgency != Urgency.INFO],
            "mine": [i for i in items if i.urgency == Urgency.INFO],
        },
    )


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
