"""A command group whose sub-commands are imported the first time they run.

``critchem --help`` lists every command from the short descriptions written in
:data:`critchem.cli.main.COMMANDS` and imports none of them; ``critchem molecules show``
imports ``critchem.cli.molecules`` and what it needs, not the trade store, the web pages or
the optimiser. Help of a sub-command (``critchem trade --help``) imports that one module.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import typer
from typer import _click as click  # the click Typer is built on (vendored since 0.2x)
from typer.core import TyperCommand, TyperGroup


@dataclass(frozen=True)
class LazyCommand:
    """Where a sub-command lives: ``module:attribute`` (a Typer app or a function)."""

    target: str
    help: str

    def load(self, name: str) -> click.Command:
        """Import the module and build the click command named ``name``."""
        module_name, _, attribute = self.target.partition(":")
        obj: Any = getattr(importlib.import_module(module_name), attribute)
        if isinstance(obj, typer.Typer):
            group = typer.main.get_group(obj)
            group.name = name
            return group
        single = typer.Typer(add_completion=False)
        single.command(name)(obj)
        command = typer.main.get_command(single)
        command.name = name
        return command


class LazyGroup(TyperGroup):
    """A Typer group that loads the sub-commands listed in :attr:`lazy` on first use."""

    lazy: dict[str, LazyCommand] = {}  # noqa: RUF012 - set once by main.build_app
    _describing = False

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Eagerly registered commands first, then the lazy ones in their listed order."""
        names = super().list_commands(ctx)
        return names + [n for n in self.lazy if n not in names]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command ``cmd_name``: imported now unless the group is only describing itself."""
        command = super().get_command(ctx, cmd_name)
        if command is not None or cmd_name not in self.lazy:
            return command
        entry = self.lazy[cmd_name]
        if self._describing:
            return TyperCommand(cmd_name, help=entry.help, short_help=entry.help)
        command = entry.load(cmd_name)
        self.commands[cmd_name] = command
        return command

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The group's help, listing the lazy commands without importing them."""
        self._describing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._describing = False
