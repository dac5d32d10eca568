"""Staff sign-in events that Django does not send itself. The audit log (in the reports
app) listens to them; sending a signal keeps this project package free of any import of
an app.

In e-report, django.contrib.auth's login() runs at the password step, so its
user_logged_in means "password accepted": the session counts as signed in only once
the second factor passes (second_factor_passed).
"""

from django.dispatch import Signal

# Sent with: request, user, device_kind ("authenticator app" or "recovery code").
second_factor_passed = Signal()
# Sent with: request, user.
second_factor_failed = Signal()
