"""Write audit rows. Call inside the service's transaction so the row commits with the change."""

from .models import AuditLog


def record(action, target, *, actor=None, **data):
    """One audit row; `target` None for events about no stored object (a failed login by name)."""
    actor = actor if actor is not None and actor.is_authenticated else None
    return AuditLog.objects.create(
        actor=actor,
        actor_username=actor.username if actor else "",
        actor_name=str(actor)[:100] if actor else "",
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        data=_jsonable(data),
    )


def record_many(entries, *, actor=None):
    """One audit row per (action, target, data) entry, chained and inserted in batches."""
    actor = actor if actor is not None and actor.is_authenticated else None
    rows = [
        AuditLog(
            actor=actor,
            actor_username=actor.username if actor else "",
            actor_name=str(actor)[:100] if actor else "",
            action=action,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            target_repr=str(target)[:200],
            data=_jsonable(data),
        )
        for action, target, data in entries
    ]
    return AuditLog.append_many(rows)


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
