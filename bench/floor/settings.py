"""Minimal settings for the floor: what Django needs to answer one view, and no more."""

import secrets

# Signs nothing (no sessions, no forms); Django only requires one to start.
SECRET_KEY = secrets.token_urlsafe(50)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.floor.urls"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
USE_TZ = True
