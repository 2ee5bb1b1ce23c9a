"""Alerts: a check's result past the user's threshold becomes a stored alert, a notification and a webhook."""
