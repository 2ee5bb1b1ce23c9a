"""`cyrano-mcp users ...`: accounts, managed from the operator's shell."""

from typing import TYPE_CHECKING

import click

from cyrano_mcp.cli.common import operator, operator_run, read_password

if TYPE_CHECKING:
    from cyrano_mcp.server import Runtime


ROLES = click.Choice(["admin", "attorney", "paralegal", "viewer"])


@click.group()
def users() -> None:
    """Accounts: there is no self-registration; the operator (or an admin's auth_users_* tools) adds them."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=ROLES, required=True)
@click.option("--no-password", is_flag=True, help="An account that cannot log in (e.g. for CYRANO_LOCAL_USER).")
def users_add(name: str, role: str, no_password: bool) -> None:
    """Add an account; the password comes from stdin, or a prompt on a terminal."""
    from cyrano_mcp.principal import Role

    password = None if no_password else read_password(f"Password for {name}")

    async def add(runtime: "Runtime") -> None:
        user = await runtime.security.accounts.add(name, Role(role), password, by=operator())
        click.echo(f"added {user.username} ({user.role})")

    operator_run(add)


@users.command("list")
def users_list() -> None:
    """List accounts."""

    async def show(runtime: "Runtime") -> None:
        for user in await runtime.security.accounts.list():
            state = "disabled" if user.disabled else ("no password" if user.password_hash is None else "active")
            click.echo(f"{user.username:<32} {user.role:<10} {state}")

    operator_run(show)


@users.command("set-role")
@click.argument("name")
@click.argument("role", type=ROLES)
def users_set_role(name: str, role: str) -> None:
    """Change an account's role."""
    from cyrano_mcp.principal import Role

    async def change(runtime: "Runtime") -> None:
        user = await runtime.security.accounts.set_role(name, Role(role), by=operator())
        click.echo(f"{user.username} is now {user.role}")

    operator_run(change)


@users.command("disable")
@click.argument("name")
def users_disable(name: str) -> None:
    """Disable an account; its tokens stop working at once."""

    async def disable(runtime: "Runtime") -> None:
        await runtime.security.accounts.set_disabled(name, True, by=operator())
        click.echo(f"{name} disabled; its logins are revoked")

    operator_run(disable)


@users.command("enable")
@click.argument("name")
def users_enable(name: str) -> None:
    """Enable a disabled account."""

    async def enable(runtime: "Runtime") -> None:
        await runtime.security.accounts.set_disabled(name, False, by=operator())
        click.echo(f"{name} enabled")

    operator_run(enable)


@users.command("unlock")
@click.argument("name")
def users_unlock(name: str) -> None:
    """Let an account log in again after failed logins locked it (from every address)."""

    async def unlock(runtime: "Runtime") -> None:
        await runtime.security.accounts.unlock(name, by=operator())
        click.echo(f"{name} unlocked")

    operator_run(unlock)


@users.command("reset-password")
@click.argument("name")
def users_reset_password(name: str) -> None:
    """Set a new password (stdin or prompt); the account's logins are revoked."""
    password = read_password(f"New password for {name}")

    async def reset(runtime: "Runtime") -> None:
        await runtime.security.accounts.reset_password(name, password, by=operator())
        click.echo(f"password of {name} changed; its logins are revoked")

    operator_run(reset)
