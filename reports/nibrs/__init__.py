"""NIBRS: a report as the FBI's NIBRS XML 4.2 (one Group A incident per document).

Holds the offense code table (codes), the mapping of a report to an incident and the
specification's edits in words (incident), the XML writer and its schema check with
lxml (xml), the export and the clerk's check (export: nibrs_check, nibrs_document,
nibrs_export), and the FBI's schema set (xsd/, copied so that nothing outside the
project is read).

May import the reports core (models, enums, registry, rules, formatting) and
reports.questions; a sibling of reports.copies. Imported by review (the admin), the
records-system API (reports.rms) and the `nibrs_xml` command.
"""
