"""Records clerks and supervisors: the workflow (workflow: claim, ask, approve, reject,
mark duplicate, reopen, case numbers, notes, NIBRS corrections), the follow-up clock
(follow_ups), the staff read queries (selectors: the audited access funnel, search,
export, dashboard figures) and the Django admin built on them (admin).

May import: the reports core, reports.questions, reports.copies, reports.notify and
screening's models. Filing, officers and the records-system hand-off may use its
workflow and selectors; nothing imports its admin.
"""
