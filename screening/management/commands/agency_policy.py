"""The agency's reporting policy as a file, for keeping it in version control.

    manage.py agency_policy export > policy.toml      # the policy in force
    manage.py agency_policy import policy.toml        # checked; one new version
    manage.py agency_policy check policy.toml         # checked only

The project ships two: screening/policies/minneapolis.toml (the default, the source
document's rules) and screening/policies/saint_paul.toml (see docs/second-agency.md).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from screening import policy_store


class Command(BaseCommand):
    help = "Export the agency's reporting policy as TOML, or import (or check) a policy file."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("export", help="Print the policy in force as TOML.")
        for action in ("import", "check"):
            command = sub.add_parser(action, help=f"{action.title()} a policy file.")
            command.add_argument("path", help="The policy file (TOML).")

    def handle(self, *args, action: str, path: str | None = None, **options):
        if action == "export":
            self.stdout.write(policy_store.toml_dump(policy_store.current_document()), ending="")
            return
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: cannot read the file ({exc})") from exc
        try:
            document = policy_store.toml_load(text)
        except policy_store.PolicyFileError as exc:
            where = f"{path}, line {exc.line}" if exc.line else path
            raise CommandError(f"{where}: {exc.message}") from exc
        if action == "check":
            self.stdout.write(f"{path}: a usable policy.")
            return
        version = policy_store.document_import(document, how=f"imported from {Path(path).name}")
        self.stdout.write(f"{path}: imported as version {version.number}, in force now.")
