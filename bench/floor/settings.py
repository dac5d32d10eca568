"""Minimal settings for the floor: what Django needs to answer one view, and no more."""

SECRET_KEY = "bench-floor-only"  # signs nothing: no sessions, no forms
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.floor.urls"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
USE_TZ = True
