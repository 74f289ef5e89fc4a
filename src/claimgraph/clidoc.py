"""docs/cli.md is generated from the CLI's own --help, so it cannot drift (a test checks)."""

from __future__ import annotations

import click

from .cli import main


def _walk(cmd: click.Command, path: list[str]) -> list[tuple[list[str], click.Command]]:
    out = [(path, cmd)]
    if isinstance(cmd, click.Group):
        for name in sorted(cmd.commands):
            out.extend(_walk(cmd.commands[name], [*path, name]))
    return out


def cli_markdown() -> str:
    parts = [
        "# CLI reference\n",
        "Generated from `--help` by `python -m claimgraph.clidoc > docs/cli.md`;"
        " a test checks that it is current.\n",
    ]
    for path, cmd in _walk(main, ["claimgraph"]):
        with click.Context(cmd, info_name=" ".join(path), terminal_width=100) as ctx:
            help_text = cmd.get_help(ctx)
        parts.append(f"## `{' '.join(path)}`\n\n```text\n{help_text}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    print(cli_markdown(), end="")
