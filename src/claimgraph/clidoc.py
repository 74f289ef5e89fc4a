"""docs/cli.md is generated from the CLI's own --help, so it cannot drift (a test checks)."""

from __future__ import annotations

import click

from .cli import main


def _walk(cmd: click.Command, ctx: click.Context) -> list[click.Context]:
    """The context of `cmd` and of each of its subcommands, each a child of its group's as
    when the CLI runs: the group's context settings (``-h`` for help) hold in all of them.
    A context built without them would show ``--help`` only, and click keeps the help
    option it first builds for a command, so the page would depend on what ran first."""
    out = [ctx]
    if isinstance(cmd, click.Group):
        for name in sorted(cmd.commands):
            sub = cmd.commands[name]
            out.extend(_walk(sub, click.Context(sub, parent=ctx, info_name=name)))
    return out


def cli_markdown() -> str:
    parts = [
        "# CLI reference\n",
        "Generated from `--help` by `python -m claimgraph.clidoc > docs/cli.md`;"
        " a test checks that it is current.\n",
    ]
    root = click.Context(main, info_name="claimgraph", terminal_width=100, **main.context_settings)
    for ctx in _walk(main, root):
        help_text = ctx.command.get_help(ctx)
        parts.append(f"## `{ctx.command_path}`\n\n```text\n{help_text}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    print(cli_markdown(), end="")
