"""Django's PostgreSQL backend, with a cheaper health check (see base.py). Settings name
it as the ENGINE when DATABASE_URL points at PostgreSQL."""
