"""The records-system (RMS) hand-off: a pull API for the agency's records management
system (Django REST framework, schema by drf-spectacular), its API keys, and the staff
download of a report's NIBRS XML.

Holds: keys (make, check and revoke API keys), services (the listing query and "in the
RMS"), auth (key authentication, permission, throttle), serializers, views and urls (the
API under /api/rms/v1/), staff_views (the clerks' NIBRS download), admin (the keys in
the admin, loaded by reports.admin).

May import the reports core, reports.questions, reports.copies and reports.nibrs; sits
in the layer of filing and officers, independent of both, and uses no review module.
"""
