"""Create the staff groups and, for development, demo clerk and officer accounts."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

STAFF_GROUPS = ("Clerks", "Officers", "Supervisors")
DEMO_USERS = (
    ("clerk", "Clerks", "Casey", "Clerk"),
    ("officer", "Officers", "Olivia", "Officer"),
    ("supervisor", "Supervisors", "Sam", "Supervisor"),
)


class Command(BaseCommand):
    help = "Create the Clerks, Officers and Supervisors groups; with --demo, demo users."

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo", action="store_true", help="Also create demo users (DEBUG only)."
        )
        parser.add_argument(
            "--address",
            default=settings.SITE_URL,
            help="The address the site is served at, for the sign-in link (default: SITE_URL).",
        )
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Allow --demo with DEBUG off (for a demo server; never in production).",
        )

    def handle(self, *args, demo: bool, allow_without_debug: bool, address: str, **options):
        for name in STAFF_GROUPS:
            Group.objects.get_or_create(name=name)
        self.stdout.write(f"Groups ready: {', '.join(STAFF_GROUPS)}")
        if not demo:
            return
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError(
                "Refusing to create demo users with DEBUG off. Pass --allow-without-debug "
                "only on a demonstration server."
            )
        user_model = get_user_model()
        for username, group_name, first, last in DEMO_USERS:
            if user_model.objects.filter(username=username).exists():
                self.stdout.write(f"Demo user {username!r} already exists (password unchanged).")
                continue
            password = secrets.token_urlsafe(15)
            user = user_model.objects.create_user(
                username=username,
                password=password,
                first_name=first,
                last_name=last,
                email=f"{username}@example.invalid",
                is_staff=True,
            )
            user.groups.add(Group.objects.get(name=group_name))
            # Demo accounts come with their second factor set up; `manage.py demo_code
            # <username>` prints the current code (DEBUG only).
            TOTPDevice.objects.create(user=user, name="Demo device", confirmed=True)
            self.stdout.write(
                self.style.SUCCESS(f"Demo {group_name[:-1].lower()}: {username} / {password}")
            )
        login = f"{address.rstrip('/')}{reverse('staff:login')}"
        self.stdout.write(
            f"Sign in at {login} ; for the 6-digit code run: "
            ".venv/bin/python manage.py demo_code <username>"
        )
