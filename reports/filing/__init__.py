"""Residents filing: the wizard (wizard, draft_storage, session), saving and resuming
(drafts), attachments (uploads), crisis words (crisis), filing and supplements
(services), the resident's own lookups (selectors), forms outside the wizard (forms)
and the resident pages (views).

May import: the reports core, reports.questions, reports.copies (a resident's copy),
reports.notify (confirmation emails), reports.review.workflow (a resident's answer
returns a report to its clerk), and screening. Nothing imports filing but the URL
configuration, the tasks and retention.
"""
