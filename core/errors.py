"""Domain errors. A refusal carries a code and, where the policy is the reason, its section."""


class DomainError(Exception):
    """A refusal a person can act on. `status` is the HTTP status a page answers with when it shows it."""

    code = "error"
    status = 400
    section: str | None = None

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None, section: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field
        if section:
            self.section = section

    def __str__(self):
        return f"{self.message} ({self.section})" if self.section else self.message


class PolicyViolation(DomainError):
    """An action the department's policy does not allow: `PolicyViolation("385.3", "...")`."""

    code = "policy_violation"
    status = 403

    def __init__(self, section: str, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message, code=code, field=field, section=section)


class PermissionRefused(DomainError):
    """The member's role or grant does not allow this: `PermissionRefused("Only ...", section="385.7")`."""

    code = "permission_refused"
    status = 403


class InvalidInput(DomainError):
    """Bad input: names the field it is about."""

    code = "invalid"


class InvalidTransition(DomainError):
    """The thing is not in a state that allows this (already approved, expired, closed)."""

    code = "invalid_transition"
    status = 409
