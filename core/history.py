"""Helpers every service uses: who changed a row and why (django-simple-history), and model validation
turned into the domain's InvalidInput naming the field."""

from django.core.exceptions import ValidationError

from .errors import InvalidInput


def full_clean(instance, *, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            field, errors = next(iter(exc.error_dict.items()))
            raise InvalidInput(
                " ".join(e.message % (e.params or {}) for e in errors), field=None if field == "__all__" else field
            ) from exc
        raise InvalidInput(" ".join(exc.messages)) from exc


def stamp(instance, actor, reason: str):
    instance._history_user = actor if getattr(actor, "pk", None) else None
    instance._change_reason = reason[:100]
    return instance
