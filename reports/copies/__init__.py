"""PDF case copies: the outbox and the render (casefiles: request, render, sweep,
verification codes, signed links), the WeasyPrint renderer with its deny-by-default URL
fetcher (pdf) and the public verification page (views, forms).

May import: the reports core, reports.questions (to read the answers back) and
screening's agency words and policy in force (the agency's name and logo on a copy). It asks
for its render task by name (reports.jobs), never by importing reports.tasks.
"""
