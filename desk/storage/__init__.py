"""The database: engine and sessions, ORM models, migrations, the outbox and the audit log."""
