"""Who may see how the server itself is doing: decided here, asked by the views."""

from members.permissions import requires_two_factor


def can_read_health_details(user) -> bool:
    """Signed-in staff who passed two-factor where it is required; everyone else learns only up or down."""
    if not (getattr(user, "is_authenticated", False) and user.is_active and user.is_staff):
        return False
    return user.is_verified() or not requires_two_factor(user)
