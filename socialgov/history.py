"""django-simple-history: record who changed a row and why, from services and tasks alike."""


def stamp(instance, actor, reason: str):
    instance._history_user = actor if getattr(actor, "pk", None) else None
    instance._change_reason = reason[:100]
    return instance
