"""Django's admin autodiscovery imports <app>.admin; the clerks' admin lives in
reports.review.admin and the records-system keys in reports.rms.admin, and this module
is only the hook that loads them."""

from reports.review import admin  # noqa: F401
from reports.rms import admin as rms_admin  # noqa: F401
