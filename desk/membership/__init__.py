"""Joining the union (入会): the form, its answers, and which union takes a new member."""
