"""Shared by every domain: text folding, numerals, replies and buttons, personal data, chat ids."""
