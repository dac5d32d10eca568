#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys
from pathlib import Path

# Production sets these (and with DEBUG off the settings refuse to start without a real
# SECRET_KEY); a development checkout sets none of them.
_PRODUCTION_SETTINGS = ("DEBUG", "SECRET_KEY", "SECRET_KEY_FILE")


def development_checkout(environ, base_dir: Path) -> bool:
    """Run from a git checkout with no production setting and no database but the
    embedded SQLite one: the commands mean the `make run` site (DEBUG=1), so that
    `manage.py demo_code clerk` works as the README writes it. A production database
    (PostgreSQL) or any production setting keeps the settings' own refusal."""
    database = environ.get("DATABASE_URL", "")
    return (
        (base_dir / ".git").exists()
        and not any(environ.get(name) for name in _PRODUCTION_SETTINGS)
        and (not database or database.startswith("sqlite:"))
    )


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ereport.settings")
    if development_checkout(os.environ, Path(__file__).resolve().parent):
        os.environ["DEBUG"] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
