"""Emails to residents: the outbox of report emails (write the row with the change,
send it once from a worker, sweep up the ones the broker lost) and the save-and-resume
emails (emails).

May import: the reports core, reports.copies (the signed link to a copy) and
screening.agency (the agency's name the emails are signed with). It asks
for its sending task by name (reports.jobs).
"""
