"""``cache``: the warm path's per-user cache of ``context`` answers."""

from __future__ import annotations

import click

from backend_persona.cli.exits import Group


@click.group("cache", cls=Group)
def cache_group() -> None:
    """The per-user cache that answers `context` on an unchanged repository."""


@cache_group.command("clear")
def clear_command() -> None:
    """Remove every cached context answer."""
    from backend_persona import cache  # noqa: PLC0415

    removed = cache.clear()
    click.echo(f"removed {removed} cached answer(s) from {cache.folder()}")


@cache_group.command("info")
def info_command() -> None:
    """Where the cache is, and how many answers and bytes it holds."""
    from backend_persona import cache  # noqa: PLC0415

    where, count, size = cache.usage()
    click.echo(f"{where}: {count} answer(s), {size:,} bytes")
