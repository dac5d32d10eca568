"""AGENCY_ORI: the site refuses to start with a malformed one (every NIBRS document
would name the wrong agency); a well-formed one, or none, starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def _start(ori: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "AGENCY_ORI": ori, "DJANGO_SETTINGS_MODULE": "ereport.settings"}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("ori", ["MN02711", "MN0271100X", "12345678A", "MN-271100"])
def test_a_malformed_ori_refuses_start_up(ori):
    result = _start(ori)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "is not an ORI" in result.stderr


@pytest.mark.parametrize("ori", ["MN0271100", "mn0271100", ""])
def test_a_well_formed_or_unset_ori_starts(ori):
    assert _start(ori).returncode == 0
