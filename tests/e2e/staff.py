"""Staff for the browser tests: real accounts with a password and a confirmed TOTP device,
signed in through the real pages (/staff/login/, then the 6-digit code)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission, User
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "a-long-test-passphrase-for-staff-2025"

# The groups and rejection reasons come from a data migration; the transactional tests
# empty every table after each test, so they are put back from the same definitions.
_MIGRATION = importlib.import_module("reports.migrations.0004_groups_and_reasons")


def ensure_groups_and_reasons() -> None:
    from reports.models import RejectionReason

    for name, codenames in _MIGRATION.GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="reports", codename__in=codenames)
        )
    for position, (code, label, text) in enumerate(_MIGRATION.REASONS):
        RejectionReason.objects.get_or_create(
            code=code, defaults={"label": label, "public_text": text, "position": position}
        )


@dataclass
class StaffMember:
    user: User
    device: TOTPDevice

    @property
    def username(self) -> str:
        return self.user.username

    def code(self) -> str:
        """The code the authenticator app shows now."""
        self.device.refresh_from_db()
        value = totp(
            self.device.bin_key,
            step=self.device.step,
            t0=self.device.t0,
            digits=self.device.digits,
            drift=self.device.drift,
        )
        return f"{value:0{self.device.digits}d}"


def staff_member(
    username: str, group: str, *, first_name: str = "", last_name: str = ""
) -> StaffMember:
    ensure_groups_and_reasons()
    user = User.objects.create_user(
        username,
        f"{username}@police.example",
        password=PASSWORD,
        is_staff=True,
        first_name=first_name,
        last_name=last_name,
    )
    user.groups.add(Group.objects.get(name=group))
    device = TOTPDevice.objects.create(user=user, name="work phone", confirmed=True)
    return StaffMember(user, device)


def sign_in(page, member: StaffMember, next_url: str = "/admin/") -> None:
    """Password, then the authenticator code; ends on `next_url` (or where it sends)."""
    page.goto(f"/staff/login/?next={next_url}")
    page.get_by_label("Username").fill(member.username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/staff/mfa/**")
    page.get_by_label("Code from your authenticator app, or a recovery code").fill(member.code())
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
