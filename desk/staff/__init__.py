"""What union staff use: the command line and the report."""
