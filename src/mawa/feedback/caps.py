"""The capabilities this app adds (granted to roles in apps.py)."""

RECORD = "feedback_record"  # record a ticket at a desk, from the hotline or a paper form
HANDLE = "feedback_handle"  # see and handle tickets (which ones: access.py)
FIGURES = "feedback_figures"  # aggregate figures and point patterns
