"""The clerks' and officers' pages and queries, timed in a Django process against the
bench database (median of 5 runs each, in ms): every filter, sort and search the clerks'
work list offers, the report page with its possible-duplicates panel, the officers'
search, the dashboard and the residents' status lookup. bench/run.py runs it at 10,000
and at 1,000,000 seeded reports and reports the ratio (goal: 2.0 or less)."""

from __future__ import annotations

import json
import subprocess

from bench.common import PYTHON, ROOT

_SCRIPT = r"""
import datetime, json, statistics, time, django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ereport.settings")
django.setup()
from django.contrib.auth.models import User
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from reports.filing import selectors as resident_selectors
from reports.review import selectors
from reports import tracking
from reports.models import Item, PersonResponsible, Report, Vehicle

user, _ = User.objects.get_or_create(username="bench-supervisor", defaults={"is_staff": True, "is_superuser": True})
device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(user)
session = client.session
session["otp_device_id"] = device.persistent_id
session.save()

serial = Item.objects.exclude(serial_number="").order_by("-id").values_list("serial_number", flat=True).first()
plate = Vehicle.objects.exclude(plate="").order_by("-id").values_list("plate", flat=True).first()
vin = Vehicle.objects.exclude(vin="").order_by("-id").values_list("vin", flat=True).first() or "1HGCM82633A004352"
report = Report.objects.order_by("-submitted_at").first()
approved = Report.objects.exclude(case_number="").order_by("-submitted_at").first() or report
person = PersonResponsible.objects.exclude(name="").order_by("-id").values_list("name", flat=True).first() or "Smith"
# A tracking number whose check character is valid (the lookup refuses others at once).
assert tracking.normalize(report.tracking_number) == report.tracking_number, report.tracking_number
clerk_id = Report.objects.exclude(assigned_to=None).values_list("assigned_to_id", flat=True).first() or user.pk
today = datetime.date.today()

def timed(fn):
    runs = []
    for _ in range(5):
        start = time.perf_counter(); fn(); runs.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(runs), 1)

rows = {}

def page(url, name):
    def fetch():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        # The rows the page lists (a page of few rows draws less than one of 50).
        content = response.content
        if name.startswith(("queue", "filter", "sort", "search")):
            rows[name] = content.count(b'class="action-select"')
        elif name.startswith("officer search"):
            rows[name] = max(content.count(b"<tr") - 1, 0)
    return fetch

Q = "/admin/reports/report/"
pages = {
    "queue: first page": Q,
    "filter: status submitted": Q + "?status__exact=submitted",
    "filter: status approved": Q + "?status__exact=approved",
    "filter: copy pending": Q + "?copy=pending",
    "filter: copy failed": Q + "?copy=failed",
    "filter: type theft": Q + "?report_type__exact=theft",
    "filter: assigned nobody": Q + "?assigned=nobody",
    f"filter: assigned clerk": Q + f"?assigned={clerk_id}",
    "filter: crisis words": Q + "?crisis_flag__exact=1",
    "filter: past 7 days": Q + f"?submitted_at__gte={today - datetime.timedelta(days=7)}&submitted_at__lt={today + datetime.timedelta(days=1)}",
    "filter: language es": Q + "?language=es",
    "sort: type": Q + "?o=2",
    "sort: type, descending": Q + "?o=-2",
    "sort: status": Q + "?o=3",
    "sort: newest first": Q + "?o=-4",
    "sort: tracking number": Q + "?o=1",
    "search: tracking number": Q + f"?q={report.tracking_number}",
    "search: case number": Q + f"?q={approved.case_number or report.tracking_number}",
    "search: last name": Q + f"?q={report.reporter_last_name}",
    "search: full name": Q + f"?q={report.reporter_first_name}+{report.reporter_last_name}",
    "search: email": Q + f"?q={report.reporter_email}",
    "search: phone": Q + f"?q={report.reporter_phone.replace('+', '%2B')}",
    "search: serial number": Q + f"?q={serial}",
    "search: plate": Q + f"?q={plate}",
    "search: VIN": Q + f"?q={vin}",
    "search: person responsible (part of name)": Q + f"?q={person.split()[0][:5]}",
    "report page (with possible duplicates)": f"{Q}{report.pk}/change/",
    "officer search: serial number": f"/officer/?q={serial}",
    "dashboard": "/admin/dashboard/",
}
results = {name: timed(page(url, name)) for name, url in pages.items()}
# The records system's first page of approved reports, with its own key.
from reports.rms.keys import api_key_create
_key, secret = api_key_create(name=f"bench records system {time.time_ns()}")
api = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Api-Key {secret}")
def api_first_page():
    response = api.get("/api/rms/v1/reports/?status=approved")
    assert response.status_code == 200, response.status_code
results["RMS API: first page of approved reports"] = timed(api_first_page)
results["possible duplicates panel"] = timed(lambda: selectors.possible_duplicates(report))
results["status lookup"] = timed(lambda: resident_selectors.report_for_resident(tracking_number=report.tracking_number, email=report.reporter_email))
print(json.dumps({"ms": results, "rows": rows}))
"""


def measure(env: dict) -> dict:
    done = subprocess.run(
        [PYTHON, "-c", _SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])
