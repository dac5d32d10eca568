"""Staff sign-in: the second factor (TOTP, recovery codes), lockout after failures,
password rules and the staff session limits (CJIS IA-2, AC-7, AC-11, AC-12; ASVS V2, V3).
"""

from __future__ import annotations

import datetime as dt
import html
from importlib import import_module
from urllib.parse import parse_qs, quote, urlparse, urlsplit

import pytest
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from reports.models import AccessLog
from screening.rules import NOW_KEYS
from tests.security import (
    RECOVERY_CODE,
    STAFF_PASSWORD,
    browser,
    login_path,
    make_staff,
    redirect_path,
    signed_in,
    text_of,
    totp_code,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """These tests sign in dozens of times: hash with a fast hasher here. That the site
    itself hashes with a strong one is checked in test_deploy_config."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


T0 = dt.datetime(2026, 3, 2, 15, 0, 0, tzinfo=dt.UTC)


def sign_in(client, username: str, password: str = STAFF_PASSWORD, next_url: str = "/admin/"):
    return client.post(login_path(), {"username": username, "password": password, "next": next_url})


def enter_code(client, code: str, next_url: str = "/admin/"):
    return client.post(reverse("staff:mfa"), {"code": code, "next": next_url})


def admin_answer(client) -> tuple[int, str]:
    response = client.get("/admin/")
    location = redirect_path(response) if response.status_code == 302 else ""
    return response.status_code, location


# --- 1. The second factor ---------------------------------------------------------------


@pytest.mark.parametrize("area", ["/admin/", "/admin/reports/report/", "/officer/"])
def test_staff_area_without_the_second_factor_sends_to_the_code_page(area):
    officer_and_clerk = make_staff("superuser")
    client = signed_in(officer_and_clerk, 1, second_factor=False)

    response = client.get(area)

    assert response.status_code == 302
    assert redirect_path(response) == reverse("staff:mfa")
    assert parse_qs(urlparse(response["Location"]).query)["next"] == [area]


def test_new_staff_member_enrols_an_authenticator_and_gets_ten_recovery_codes():
    clerk = make_staff("clerk", "clerk.enrol")
    client = browser(2)

    with freeze_time(T0) as clock:
        signed = sign_in(client, "clerk.enrol")
        before_setup = client.get(signed["Location"])
        admin_before = admin_answer(client)
        setup_page = client.get(before_setup["Location"])
        device = TOTPDevice.objects.get(user=clerk)
        unconfirmed = not device.confirmed
        clock.tick(dt.timedelta(seconds=5))
        confirmed = client.post(
            reverse("staff:mfa_setup"), {"code": totp_code(device), "next": "/admin/"}
        )
        dashboard = client.get("/admin/", follow=True)

    assert redirect_path(signed) == reverse("staff:mfa")
    assert redirect_path(before_setup) == reverse("staff:mfa_setup")
    assert admin_before == (302, reverse("staff:mfa"))
    assert setup_page.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in setup_page.content.decode()
    assert unconfirmed
    codes = RECOVERY_CODE.findall(confirmed.content.decode())
    assert len(codes) == 10
    assert len(set(codes)) == 10
    stored = set(StaticToken.objects.filter(device__user=clerk).values_list("token", flat=True))
    assert stored == set(codes)
    assert TOTPDevice.objects.get(user=clerk).confirmed
    assert dashboard.status_code == 200
    assert dashboard.redirect_chain[-1][0] == reverse("admin:dashboard")


def test_enrolment_refuses_a_wrong_code_and_keeps_the_admin_closed():
    make_staff("clerk", "clerk.wrong")
    client = browser(3)
    sign_in(client, "clerk.wrong")
    client.get(reverse("staff:mfa_setup"))

    response = client.post(reverse("staff:mfa_setup"), {"code": "000000", "next": "/admin/"})

    assert response.status_code == 200
    assert "That code is not right" in text_of(response)
    assert RECOVERY_CODE.findall(response.content.decode()) == []
    assert admin_answer(client) == (302, reverse("staff:mfa"))


@pytest.fixture
def enrolled_clerk():
    """A clerk who already set up an authenticator app (device confirmed) and recovery
    codes, as the enrolment page makes them."""
    clerk = make_staff("clerk", "clerk.enrolled")
    with freeze_time(T0 - dt.timedelta(minutes=10)):
        client = browser(4)
        sign_in(client, "clerk.enrolled")
        client.get(reverse("staff:mfa_setup"))
        device = TOTPDevice.objects.get(user=clerk)
        page = client.post(
            reverse("staff:mfa_setup"), {"code": totp_code(device), "next": "/admin/"}
        )
        client.post(reverse("staff:logout"))
    return clerk, RECOVERY_CODE.findall(page.content.decode())


def test_second_sign_in_asks_for_a_code_and_accepts_the_current_one(enrolled_clerk):
    clerk, _codes = enrolled_clerk
    device = TOTPDevice.objects.get(user=clerk)
    client = browser(5)

    with freeze_time(T0):
        signed = sign_in(client, clerk.username)
        code_page = client.get(signed["Location"])
        before = admin_answer(client)
        accepted = enter_code(client, totp_code(device))
        after = admin_answer(client)

    assert code_page.status_code == 200
    assert before == (302, reverse("staff:mfa"))
    assert accepted.status_code == 302
    assert redirect_path(accepted) == "/admin/"
    assert after == (302, reverse("admin:dashboard"))


def test_a_code_already_used_is_refused_the_second_time(enrolled_clerk):
    clerk, _codes = enrolled_clerk
    device = TOTPDevice.objects.get(user=clerk)
    first, second = browser(6), browser(7)

    with freeze_time(T0) as clock:
        code = totp_code(device)
        sign_in(first, clerk.username)
        assert redirect_path(enter_code(first, code)) == "/admin/"
        clock.tick(dt.timedelta(seconds=5))  # same 30-second step: the same code
        sign_in(second, clerk.username)
        replay = enter_code(second, code)
        after = admin_answer(second)

    assert replay.status_code == 200
    assert "was already used" in text_of(replay)
    assert after == (302, reverse("staff:mfa"))


def test_a_recovery_code_works_once_only(enrolled_clerk):
    clerk, codes = enrolled_clerk
    first, second = browser(8), browser(9)

    with freeze_time(T0) as clock:
        sign_in(first, clerk.username)
        used = enter_code(first, codes[0])
        clock.tick(dt.timedelta(minutes=2))  # past any throttling delay
        sign_in(second, clerk.username)
        again = enter_code(second, codes[0])
        after = admin_answer(second)

    assert redirect_path(used) == "/admin/"
    assert again.status_code == 200
    assert "not right or was already used" in text_of(again)
    assert after == (302, reverse("staff:mfa"))
    assert not StaticToken.objects.filter(device__user=clerk, token=codes[0]).exists()
    assert StaticToken.objects.filter(device__user=clerk).count() == 9


def test_a_resident_account_cannot_sign_in_at_the_staff_login():
    User.objects.create_user("resident.ana", "ana@example.org", STAFF_PASSWORD)
    client = browser(10)

    response = sign_in(client, "resident.ana")

    assert response.status_code == 200
    assert "The username or password is not right." in text_of(response)
    assert SESSION_KEY not in client.session
    assert redirect_path(client.get("/admin/")) in (reverse("admin:login"), login_path())


# --- 2. Lockout (django-axes) --------------------------------------------------------------


def fail(client, username: str, times: int):
    return [sign_in(client, username, "not the password at all!") for _ in range(times)]


def test_five_failures_lock_the_account_even_with_the_right_password_then():
    make_staff("clerk", "clerk.locked")
    attacker, owner = browser(20), browser(21)

    with freeze_time(T0):
        failures = fail(attacker, "clerk.locked", 5)
        locked = sign_in(owner, "clerk.locked")

    assert [r.status_code for r in failures[:4]] == [200] * 4
    assert failures[4].status_code in (403, 429)  # the fifth failure locks
    assert locked.status_code in (403, 429)
    assert "Sign-in is locked" in text_of(locked)
    assert SESSION_KEY not in owner.session
    assert AccessLog.objects.filter(
        action=AccessLog.Action.LOCKOUT, username="clerk.locked"
    ).exists()


def test_a_locked_account_opens_again_after_thirty_minutes():
    make_staff("clerk", "clerk.cooloff")
    client = browser(22)

    with freeze_time(T0) as clock:
        fail(client, "clerk.cooloff", 5)
        clock.tick(dt.timedelta(minutes=29))
        still_locked = sign_in(client, "clerk.cooloff")
        # Any attempt while locked starts the 30 minutes again (django-axes default).
        clock.tick(dt.timedelta(minutes=31))
        reopened = sign_in(client, "clerk.cooloff")

    assert still_locked.status_code in (403, 429)
    assert reopened.status_code == 302
    assert redirect_path(reopened) == reverse("staff:mfa")


def test_a_supervisor_reset_unlocks_the_account_at_once():
    make_staff("clerk", "clerk.reset")
    client = browser(23)
    with freeze_time(T0):
        fail(client, "clerk.reset", 5)
        assert sign_in(client, "clerk.reset").status_code in (403, 429)

        axes_reset(username="clerk.reset")
        unlocked = sign_in(client, "clerk.reset")

    assert unlocked.status_code == 302
    assert redirect_path(unlocked) == reverse("staff:mfa")


def test_failures_on_many_usernames_from_one_address_do_not_lock_others_behind_it():
    # Behind a shared proxy or NAT every member of staff has the same address: a lock per
    # address would lock them all out (CJIS AC-7 counts attempts per user). Guessing
    # across many names from one address is slowed by the per-address rate limit.
    make_staff("clerk", "clerk.bystander")
    attacker, colleague = browser(24), browser(24)

    with freeze_time(T0):
        for n in range(5):
            sign_in(attacker, f"guess.{n}", "wrong password, again")
        from_colleague = sign_in(colleague, "clerk.bystander")

    assert from_colleague.status_code == 302
    assert redirect_path(from_colleague) == reverse("staff:mfa")


def test_failures_on_one_account_lock_it_from_every_address():
    make_staff("clerk", "clerk.target")
    attacker, owner = browser(26), browser(27)

    with freeze_time(T0):
        fail(attacker, "clerk.target", 5)
        from_owner = sign_in(owner, "clerk.target")

    assert from_owner.status_code in (403, 429)
    assert "try again in 30 minutes" in text_of(from_owner)


def test_a_password_that_contains_the_username_is_refused():
    user = User(username="supervisor")

    with pytest.raises(ValidationError) as refused:
        validate_password("supervisor-supervisor", user)

    assert "password_contains_username" in [e.code for e in refused.value.error_list]


# --- 3. Passwords ---------------------------------------------------------------------------

PASSWORD_64 = "my bicycle was stolen from the rack on lake street, 2024 & again"
# (case, password, the validator's refusal code; None when accepted)
PASSWORDS = [
    ("14 characters", "tram-river-oak", "password_too_short"),
    ("15 characters", "tram-river-oaks", None),
    ("64 characters", PASSWORD_64, None),
    ("unicode passphrase", "ñandú café über straße 東京 🚲", None),
    ("common password of 20 characters", "1q2w3e4r5t6y7u8i9o0p", "password_too_common"),
    ("numeric only, 15 digits", "839201748392017", "password_entirely_numeric"),
    ("like the username", "margaret.henderson.records", "password_too_similar"),
]


@pytest.mark.parametrize(("case", "password", "refusal"), PASSWORDS, ids=[p[0] for p in PASSWORDS])
def test_password_rules(case, password, refusal):
    user = User(username="margaret.henderson.records", email="mh@police.example")

    try:
        validate_password(password, user)
        codes = []
    except ValidationError as error:
        codes = [e.code for e in error.error_list]

    if refusal is None:
        assert codes == [], case
    else:
        assert refusal in codes, (case, codes)


def test_password_table_lengths_are_what_the_cases_say():
    lengths = {case: len(password) for case, password, _refusal in PASSWORDS}
    assert lengths["14 characters"] == 14
    assert lengths["15 characters"] == 15
    assert lengths["64 characters"] == 64
    assert lengths["common password of 20 characters"] >= 15
    assert lengths["like the username"] >= 15


# --- 4. Staff sessions ----------------------------------------------------------------------


@pytest.mark.parametrize(("idle_minutes", "still_signed_in"), [(29, True), (31, False)])
def test_staff_session_locks_after_thirty_idle_minutes(idle_minutes, still_signed_in):
    officer = make_staff("officer")
    with freeze_time(T0) as clock:
        client = signed_in(officer, 30)
        assert client.get("/officer/").status_code == 200
        clock.tick(dt.timedelta(minutes=idle_minutes))
        response = client.get("/officer/")

    if still_signed_in:
        assert response.status_code == 200
        assert SESSION_KEY in client.session
    else:
        assert response.status_code == 302
        assert redirect_path(response) == login_path()
        assert SESSION_KEY not in client.session


def test_staff_session_ends_after_twelve_hours_however_active():
    officer = make_staff("officer")
    answers = []
    with freeze_time(T0) as clock:
        client = signed_in(officer, 31)
        # A request every 20 minutes from 0:00 to 11:40: never idle.
        for _ in range(36):
            answers.append(client.get("/officer/").status_code)
            clock.tick(dt.timedelta(minutes=20))
        clock.tick(dt.timedelta(minutes=1))  # 12:01 after the first request
        at_twelve_hours = client.get("/officer/")

    assert answers == [200] * 36
    assert at_twelve_hours.status_code == 302
    assert redirect_path(at_twelve_hours) == login_path()
    assert SESSION_KEY not in client.session


def test_signing_in_gives_a_new_session_key():
    make_staff("clerk", "clerk.rotate")
    client = browser(32)
    # An anonymous session, as an attacker may plant: one screening answer makes one.
    client.post(reverse("screening:question", args=["now"]), dict.fromkeys(NOW_KEYS, "no"))
    planted = client.cookies[settings.SESSION_COOKIE_NAME].value

    response = sign_in(client, "clerk.rotate")

    assert response.status_code == 302
    fresh = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert fresh != planted
    engine = import_module(settings.SESSION_ENGINE)
    assert not engine.SessionStore().exists(planted)
    assert SESSION_KEY in engine.SessionStore(session_key=fresh).load()


def test_deactivated_staff_member_is_signed_out_on_the_next_request():
    officer = make_staff("officer")
    client = signed_in(officer, 33)
    assert client.get("/officer/").status_code == 200

    User.objects.filter(pk=officer.pk).update(is_active=False)
    response = client.get("/officer/")

    assert response.status_code == 302
    assert redirect_path(response) == login_path()


def test_session_and_csrf_cookies_are_http_only_and_same_site_lax():
    make_staff("clerk", "clerk.cookies")
    client = browser(34)

    form_page = client.get(login_path())
    signed = sign_in(client, "clerk.cookies")

    csrf = form_page.cookies[settings.CSRF_COOKIE_NAME]
    session = signed.cookies[settings.SESSION_COOKIE_NAME]
    for cookie in (csrf, session):
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"


def test_the_staff_login_page_is_not_cached_and_never_echoes_the_password():
    client = browser(35)
    response = sign_in(client, "someone", "my secret passphrase 123")

    assert "no-store" in response["Cache-Control"]
    assert "my secret passphrase 123" not in html.unescape(response.content.decode())


def test_login_failure_answer_is_the_same_for_unknown_and_known_usernames():
    make_staff("clerk", "clerk.known")
    known = sign_in(browser(36), "clerk.known", "wrong password entirely")
    unknown = sign_in(browser(37), "nobody.here", "wrong password entirely")

    assert known.status_code == unknown.status_code == 200
    assert "The username or password is not right." in text_of(known)
    assert "The username or password is not right." in text_of(unknown)


def test_the_page_asked_for_survives_the_code_step_whole():
    make_staff("clerk", "clerk.deeplink")
    client = browser(28)
    wanted = "/admin/reports/report/?status__exact=submitted&o=2"

    response = client.post(
        reverse("staff:login") + f"?next={quote(wanted)}",
        {"username": "clerk.deeplink", "password": STAFF_PASSWORD},
    )

    assert response.status_code == 302
    assert parse_qs(urlsplit(response.url).query)["next"] == [wanted]
