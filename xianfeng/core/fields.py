"""Model fields shared by every app."""

from django.conf import settings
from django.db import models


def actor_field(verbose_name, **options):
    """Who did it: a login, kept as NULL when the login is deleted so the record survives."""
    options = {
        "null": True,
        "blank": True,
        "on_delete": models.SET_NULL,
        "related_name": "+",
        **options,
    }
    return models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=verbose_name, **options)
