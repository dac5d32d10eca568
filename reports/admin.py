"""Django's admin autodiscovery imports <app>.admin; the clerks' admin lives in
reports.review.admin, and this module is only the hook that loads it."""

from reports.review import admin  # noqa: F401
