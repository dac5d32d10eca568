"""The floor the resident pages are measured against: a bare Django view, served by the
same gunicorn settings as the site (bench/run.py starts it). Nothing else: no database,
no middleware, no templates."""
