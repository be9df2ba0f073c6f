from .services import unread_count


def bell(request):
    """The unread count for the bell in the header (one indexed COUNT per page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notice_unread": unread_count(user)}
