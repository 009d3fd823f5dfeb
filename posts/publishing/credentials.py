"""Channel credentials (tokens, signing secrets) at rest: Fernet-encrypted with CREDENTIALS_KEY.

CREDENTIALS_KEY holds one Fernet key, or several separated by commas to rotate: the first encrypts, every one
of them decrypts, so old rows stay readable until they are entered again. Generate a key with
`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`.
"""

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import adapter_class

GENERATE_HINT = (
    'Generate one with: python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())" '
    "and set it in the environment of every web and worker process."
)


class CredentialsUnreadable(Exception):
    """Stored credentials that the configured key cannot decrypt (the key changed, or the row was altered)."""


class Credentials(dict):
    """A plain dict of secrets whose repr and str name the keys only, so a traceback, a log line or a debugger
    printing it shows no secret."""

    def __repr__(self):
        return f"<Credentials keys={sorted(self)}>"

    __str__ = __repr__


def _fernet() -> MultiFernet:
    # Read on use, never at import: a web process that never touches credentials starts without the key.
    configured = (settings.CREDENTIALS_KEY or "").strip()
    if not configured:
        if not settings.DEBUG:
            raise ImproperlyConfigured(
                f"CREDENTIALS_KEY is not set, so channel credentials cannot be used. {GENERATE_HINT}"
            )
        # Development only: a key derived from SECRET_KEY, so `make run` works with nothing configured. Credentials
        # saved this way become unreadable if SECRET_KEY changes; production always sets CREDENTIALS_KEY.
        digest = hashlib.sha256(b"socialgov-channel-credentials:" + settings.SECRET_KEY.encode()).digest()
        configured = base64.urlsafe_b64encode(digest).decode()
    try:
        return MultiFernet([Fernet(key.strip()) for key in configured.split(",") if key.strip()])
    except (ValueError, TypeError):
        # The message names the setting, never its value.
        raise ImproperlyConfigured(
            f"CREDENTIALS_KEY is not a valid Fernet key (32 url-safe base64-encoded bytes). {GENERATE_HINT}"
        ) from None


def encrypt_credentials(credentials: dict) -> str:
    plain = json.dumps(dict(credentials), sort_keys=True, separators=(",", ":")).encode()
    return _fernet().encrypt(plain).decode("ascii")


def decrypt_credentials(token: str) -> dict:
    if not token:
        return Credentials()
    try:
        plain = _fernet().decrypt(token.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError):
        raise CredentialsUnreadable(
            "The stored credentials cannot be decrypted with the current CREDENTIALS_KEY; enter them again."
        ) from None
    return Credentials(json.loads(plain))


def channel_credentials(channel) -> dict:
    return decrypt_credentials(channel.credentials_encrypted)


def redact(text: str, secrets) -> str:
    """Remove secret values from text that came from elsewhere (a platform's error message, an echoed URL)."""
    for secret in sorted((s for s in secrets if isinstance(s, str) and len(s) >= 4), key=len, reverse=True):
        text = text.replace(secret, "[redacted]")
    return text


class CredentialField:
    """One secret a channel kind needs, as the credentials page asks for it."""

    def __init__(self, key: str, label: str, help_text: str = "", *, min_length: int = 1, required: bool = True):
        self.key, self.label, self.help_text, self.min_length = key, label, help_text, min_length
        self.required = required  # optional ones (e.g. what renewal needs) may be left empty

    def __repr__(self):
        return f"CredentialField({self.key!r})"


def credential_fields(kind: str) -> tuple[CredentialField, ...]:

    return tuple(getattr(adapter_class(kind), "credential_fields", ()) or ())
