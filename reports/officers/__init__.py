"""The officers' portal at /officer/: search, a report's detail, and downloads of its
copy and attachments (views), every one written to the access log.

May import: the reports core, reports.copies and reports.review.selectors (the audited
access funnel and the search the clerks' queue uses too).
"""
