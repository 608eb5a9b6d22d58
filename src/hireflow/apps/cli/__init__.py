"""The ``hireflow`` command line (typer). The app lives in :mod:`hireflow.apps.cli.main`.

Importing the CLI is cheap on purpose: SQLAlchemy, Alembic, rich and the settings are imported by the commands
that need them, when they run.
"""
