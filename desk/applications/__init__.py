"""The store shared by joining and aid applications: submission, duplicates, status, look-ups."""
