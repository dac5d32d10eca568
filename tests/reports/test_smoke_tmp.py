import pytest
from tests.reports.wizard_data import file_report
from reports.models import Report

@pytest.mark.django_db
@pytest.mark.parametrize("rt", ["theft","theft_from_vehicle","property_damage","vehicle_damage","harassment","lost_property","order_violation","visitation_violation","identity_theft"])
def test_smoke(client, rt):
    r = file_report(client, rt)
    assert r.url == "/report/confirmation/", r.url
    page = client.get(r.url)
    rep = Report.objects.get()
    assert rep.tracking_number in page.content.decode()
