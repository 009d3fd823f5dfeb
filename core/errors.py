"""Domain errors. A refusal carries a code and, where the policy is the reason, its section."""


class DomainError(Exception):
    code = "error"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field

    def __str__(self):
        return self.message


class PolicyViolation(DomainError):
    """An action the department's policy does not allow: `PolicyViolation("385.3", "...")`."""

    code = "policy_violation"

    def __init__(self, section: str, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message, code=code, field=field)
        self.section = section

    def __str__(self):
        return f"{self.message} ({self.section})"


class PermissionRefused(DomainError):
    code = "permission_refused"


class InvalidInput(DomainError):
    """Bad input: names the field it is about."""

    code = "invalid"


class InvalidTransition(DomainError):
    code = "invalid_transition"
