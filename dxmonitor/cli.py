"""The `dxmonitor` command: every Django management command, with dashes allowed in names.

`dxmonitor load-agencies` runs the `load_agencies` command; `--data-dir DIR` anywhere on the line sets
DXMONITOR_DATA_DIR before settings are read, so one data directory holds one installation.
"""

import os
import secrets
import sys
from pathlib import Path

COMMANDS = {
    "demo": "create or refresh the demo installation and serve it",
    "serve": "serve the web application (waitress)",
    "load-agencies": "load or refresh the agency registry",
    "agencies": "list agencies valid on a date, or where an agency's work went",
    "extract": "read a notice (TXT, DOCX, PDF) and print its tasks and indicators, without a database",
    "ingest": "store a notice and its extracted tasks and indicators as drafts for review",
    "extract-eval": "score the reader against the hand-written gold annotations of the samples",
    "bench": "time operations on generated data in a throwaway database (`bench tasks`, `bench indicators`, `bench events`)",
    "events": "public-service dossier records: ingest, generate, compute, reconcile",
    "remind": "send due-date, deadline-passed and weekly digest reminders (idempotent)",
    "worker": "run background jobs and the daily reminder schedule",
    "migrate": "create or update the database tables",
    "createsuperuser": "create a secretariat account",
}


def _take_data_dir(args: list[str]) -> list[str]:
    out, i = [], 0
    while i < len(args):
        arg = args[i]
        if arg == "--data-dir" and i + 1 < len(args):
            os.environ["DXMONITOR_DATA_DIR"] = args[i + 1]
            i += 2
            continue
        if arg.startswith("--data-dir="):
            os.environ["DXMONITOR_DATA_DIR"] = arg.split("=", 1)[1]
        else:
            out.append(arg)
        i += 1
    return out


def ensure_secret_key(data_dir: Path) -> Path:
    """The installation's secret key file, created once with a random key (demo and first runs)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file


def main(argv: list[str] | None = None) -> None:
    args = _take_data_dir(list(sys.argv[1:] if argv is None else argv))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxmonitor.settings")
    if not args or args[0] in ("-h", "--help", "help"):
        print("usage: dxmonitor [--data-dir DIR] COMMAND [options]\n\ncommands:")
        for name, help_text in COMMANDS.items():
            print(f"  {name:<16} {help_text}")
        print("\n`dxmonitor COMMAND --help` for a command's options; every Django command also works.")
        return
    if args[0] == "demo":
        from dxmonitor.conf import data_dir

        ensure_secret_key(data_dir())
    if args[0] == "bench":
        # The benchmark reads nothing of this installation (it re-runs itself on a throwaway database).
        os.environ.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(40))
    from django.core.management import execute_from_command_line

    execute_from_command_line(["dxmonitor", args[0].replace("-", "_"), *args[1:]])


if __name__ == "__main__":
    main()
