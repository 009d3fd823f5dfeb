"""Which token scope each endpoint needs. The member's own permissions are then decided by the services."""

from rest_framework.permissions import BasePermission


class HasScopes(BasePermission):
    """The view names `required_scopes` (all needed) or, per action, `scopes_by_action`."""

    message = "This token does not carry the scope this endpoint needs."

    def has_permission(self, request, view):
        token = request.auth
        if token is None or not getattr(request.user, "is_authenticated", False):
            return False
        needed = needed_scopes(view)
        if not set(needed) <= set(token.scopes):
            self.message = f"This token lacks the scope(s) {', '.join(sorted(set(needed) - set(token.scopes)))}."
            return False
        return True


def needed_scopes(view) -> list[str]:
    by_action = getattr(view, "scopes_by_action", None)
    action = getattr(view, "action", None)
    if by_action and action in by_action:
        return list(by_action[action])
    by_method = getattr(view, "scopes_by_method", None)
    if by_method:
        method = view.request.method.upper()
        return list(by_method.get(method, by_method.get("*", [])))
    return list(getattr(view, "required_scopes", []))
