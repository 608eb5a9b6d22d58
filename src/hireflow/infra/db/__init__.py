"""SQLAlchemy 2.0 persistence: tables, engine and session factory, unit of work, repositories, migrations."""
