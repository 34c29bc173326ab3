"""Hard cases for union lawyers: triage, escalation, intake, the queue, relay, lawyer commands.

Also reminders of waiting cases, the rating after closing, and honest waiting times.
"""
