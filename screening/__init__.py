"""Screening: who may file online, and the agency's reporting policy.

- rules       the decision as a plain function of the answers and the policy (no Django)
- policy      the agency's policy as a frozen value: what it holds, read from a document
- policy_store  the policy in force (versions, cache, the TOML file), and saving one
- agency      the agency's name, numbers and logo as every page, email and copy says them
- questions, forms, session, services, reasons, views: the screening pages themselves
- admin       the supervisors' policy page (loaded by Django's autodiscovery only)

Screening reads the reports core (the registry of types) and never a report job; the
jobs read screening (pyproject.toml's import-linter contracts).
"""
