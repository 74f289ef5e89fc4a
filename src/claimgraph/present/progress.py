"""A progress bar with rate and ETA for long runs (rich), on stderr."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class RateColumn(ProgressColumn):
    """Files per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:.1f} files/s")


@contextmanager
def progress_bar(*, enabled: bool = True) -> Iterator[Callable[[str, int], None] | None]:
    """Yields a callback for `run_analyze(progress=...)`, or None when disabled."""
    if not enabled:
        yield None
        return
    console = Console(stderr=True)
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        RateColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("analyze", total=None)

        def update(event: str, n: int) -> None:
            if event == "files":
                progress.update(task, total=n)
            elif event == "file":
                progress.advance(task, n)
            elif event == "link":  # the files are in; claims are being linked: no known end,
                # so an indeterminate (pulsing) bar rather than one that stands at 100%
                progress.reset(task, total=None, description="link (claims and stance)")
            elif event == "link-wait":
                progress.update(task, description="link: waiting for another run on this store")

        yield update
