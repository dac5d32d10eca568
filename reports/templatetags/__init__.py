"""Template filters for report pages and copies (`{% load report_formatting %}`)."""
