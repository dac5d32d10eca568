"""The template filters (reports.templatetags.report_formatting) read stored values as
the Python-built pages do, and leave an empty value empty."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template


def rendered(expression: str, value) -> str:
    return Template("{% load report_formatting %}" + expression).render(Context({"v": value}))


@pytest.mark.parametrize(
    ("expression", "value", "shown"),
    [
        ("{{ v|money }}", Decimal("1500.00"), "$1,500.00"),
        ("{{ v|money }}", Decimal("300"), "$300.00"),
        ("{{ v|money }}", None, ""),
        ('{{ v|money|default:"—" }}', None, "—"),
        ("{{ v|phone }}", "+16125550123", "(612) 555-0123"),
        ("{{ v|phone }}", "", ""),
        ("{{ v|language_name }}", "es", "Spanish"),
        ("{{ v|language_name }}", "", ""),
    ],
)
def test_a_stored_value_reads_as_a_person_reads_it(expression, value, shown):
    assert rendered(expression, value) == shown
