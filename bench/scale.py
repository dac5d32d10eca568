"""The clerks' and officers' pages and queries, timed in a Django process against the
bench database (median of 5 runs each, in ms)."""

from __future__ import annotations

import json
import subprocess

from bench.common import PYTHON, ROOT

_SCRIPT = r"""
import json, statistics, time, django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ereport.settings")
django.setup()
from django.contrib.auth.models import User
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from reports.filing import selectors as resident_selectors
from reports.review import selectors
from reports.models import Item, Report, Vehicle

user, _ = User.objects.get_or_create(username="bench-supervisor", defaults={"is_staff": True, "is_superuser": True})
device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(user)
session = client.session
session["otp_device_id"] = device.persistent_id
session.save()

serial = Item.objects.exclude(serial_number="").order_by("-id").values_list("serial_number", flat=True).first()
plate = Vehicle.objects.order_by("-id").values_list("plate", flat=True).first()
report = Report.objects.order_by("-submitted_at").first()

def timed(fn):
    runs = []
    for _ in range(5):
        start = time.perf_counter(); fn(); runs.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(runs), 1)

def page(url):
    def fetch():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return fetch

print(json.dumps({
    "clerks' queue page": timed(page("/admin/reports/report/")),
    "queue search: serial": timed(page(f"/admin/reports/report/?q={serial}")),
    "queue search: plate": timed(page(f"/admin/reports/report/?q={plate}")),
    "queue search: name": timed(page("/admin/reports/report/?q=Vang")),
    "officer search: serial": timed(page(f"/officer/?q={serial}")),
    "status lookup": timed(lambda: resident_selectors.report_for_resident(tracking_number=report.tracking_number, email=report.reporter_email)),
    "dashboard": timed(page("/admin/dashboard/")),
}))
"""


def measure(env: dict) -> dict:
    done = subprocess.run(
        [PYTHON, "-c", _SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])
