"""Reports: one Django app (label "reports"), grouped by job.

The core, at this level, is what every job shares and imports nothing of the jobs:
models, enums, registry (the report types), tracking (numbers), rules (plain business
rules), formatting (how values read), storage (private files), audit (the staff audit
log), jobs (background work asked for by task name).

Sub-packages, one per job (each docstring says what it may import):
- questions/  the questions a report asks and how answers read back
- filing/     residents: the wizard, drafts, uploads, filing, status, supplements
- review/     clerks and supervisors: the workflow, follow-ups, staff queries, the admin
- copies/     PDF case copies and their verification
- officers/   the officers' portal
- notify/     emails to residents
- nibrs/      the FBI's NIBRS XML of a report, its edits and schema check
- rms/        the records-system pull API, its keys, the clerks' NIBRS download

On top: tasks (Celery), retention (the daily purge), urls, admin (the admin hook) and
the management commands. Imports go one way, downwards; the contracts in
pyproject.toml ([tool.importlinter]) make that a rule that `make lint` checks.
"""
