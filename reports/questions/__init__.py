"""The questions a report asks: the step catalogue (steps), the wizard's step forms
(forms), their validated fields (fields), and answers read back as words (summary).

Filing asks these questions; copies, review and the records-system export read the
answers back with the same labels. May import: the reports core (models, enums, rules,
registry, formatting) and screening's rules. Never a sibling sub-package.
"""
