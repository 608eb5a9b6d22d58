"""``hireflow users``: administration of the people who sign in."""

# Imports inside functions are deliberate: the CLI loads SQLAlchemy, rich and the settings only when a
# command needs them, so `hireflow --help` and `--version` stay fast and import nothing heavy.

from __future__ import annotations

from typing import Annotated

import typer

from hireflow.apps.cli.connection import connected_engine, require_head

users_app = typer.Typer(name="users", help="Users who sign in to Hireflow.", no_args_is_help=True)


@users_app.command("create-superadmin")
def create_superadmin(
    email: Annotated[str, typer.Option(help="The superadmin's email, used to sign in.")],
    name: Annotated[str, typer.Option(help="Full name.")] = "",
) -> None:
    """Create a platform superadmin; the password comes from HIREFLOW_SUPERADMIN_PASSWORD or a prompt."""
    from sqlalchemy.orm import sessionmaker

    from hireflow.domain.services.users import UserAdministration
    from hireflow.infra.db.unit_of_work import sqlalchemy_uow_factory
    from hireflow.shared.config import get_settings
    from hireflow.shared.extras import require

    require("server", "pwdlib", "password hashing")
    from hireflow.infra.security.passwords import Argon2PasswordHasher

    configured = get_settings().superadmin_password
    password = (
        configured.get_secret_value()
        if configured is not None
        else typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    )
    with connected_engine() as engine:
        require_head(engine)
        factory = sqlalchemy_uow_factory(sessionmaker(bind=engine, expire_on_commit=False))
        user = UserAdministration(factory, Argon2PasswordHasher()).create_superadmin(email, password, name)
    typer.echo(f"created superadmin {user.email} (user {user.id})")
