"""Every setting read from the environment, declared once with its default and meaning.

settings.py reads them through `env`; the README's configuration table is checked against this list
by a test, so a setting cannot be added without being documented.
"""

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS = [
    Setting(
        "DATABASE_URL", "", "Database URL; unset means a SQLite file `dxmonitor.sqlite3` in the data dir."
    ),
    Setting(
        "DXMONITOR_DATA_DIR", "./data", "Directory for the SQLite file, uploads, evidence and event data."
    ),
    Setting(
        "SECRET_KEY",
        "",
        "Django secret key. Unset: read from `<data dir>/secret_key` (created by `dxmonitor demo`); "
        "with DEBUG off, start-up is refused when neither exists.",
    ),
    Setting("DEBUG", "false", "`true` or `false` only. Never true in production."),
    Setting("ALLOWED_HOSTS", "127.0.0.1,localhost", "Comma-separated host names the site answers to."),
    Setting(
        "CSRF_TRUSTED_ORIGINS",
        "",
        "Comma-separated origins (scheme://host) trusted for POSTs behind a proxy.",
    ),
    Setting("DXMONITOR_SITE_URL", "http://127.0.0.1:8000", "The site's address, for links in e-mails."),
    Setting("DEFAULT_FROM_EMAIL", "dxmonitor@localhost", "Sender address of reminders and notices."),
    Setting("EMAIL_HOST", "", "SMTP host; unset means e-mail is printed to the console."),
    Setting("EMAIL_PORT", "587", "SMTP port."),
    Setting("EMAIL_HOST_USER", "", "SMTP user."),
    Setting("EMAIL_HOST_PASSWORD", "", "SMTP password."),
    Setting("EMAIL_USE_TLS", "true", "`true` or `false`: STARTTLS to the SMTP host."),
    Setting("DXMONITOR_LOGIN_ATTEMPTS", "5", "Failed logins from one user and address before a lock-out."),
    Setting("DXMONITOR_LOCKOUT_MINUTES", "15", "How long a lock-out after too many failed logins lasts."),
    Setting("DXMONITOR_MAX_UPLOAD_MB", "20", "Largest file accepted for upload, in megabytes."),
    Setting(
        "DXMONITOR_STALE_DAYS", "30", "An open task with no progress report for this many days is stale."
    ),
    Setting(
        "DXMONITOR_REMIND_DAYS",
        "7,1",
        "Days before a deadline on which the lead agency is reminded (comma-separated).",
    ),
    Setting(
        "DXMONITOR_RECONCILE_GAP_PP",
        "5",
        "Percentage points between a self-reported and a computed value beyond which the pair is flagged.",
    ),
]

_BY_NAME = {s.name: s for s in SETTINGS}


def env(name: str) -> str:
    """The value of a declared setting from the environment, or its default."""
    return os.environ.get(name, _BY_NAME[name].default)


def envbool(name: str) -> bool:
    """A declared true/false setting; anything else is an error, not a guess."""
    value = env(name).strip().lower()
    if value not in ("true", "false"):
        raise ValueError(f"{name} must be 'true' or 'false', got {value!r}")
    return value == "true"


def envint(name: str) -> int:
    """A declared whole-number setting."""
    value = env(name).strip()
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, got {value!r}") from None


def envlist(name: str) -> list[str]:
    """A declared comma-separated setting."""
    return [part.strip() for part in env(name).split(",") if part.strip()]


def data_dir() -> Path:
    """The data directory, created on first use."""
    path = Path(env("DXMONITOR_DATA_DIR")).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path
