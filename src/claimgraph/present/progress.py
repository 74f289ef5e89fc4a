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
    """Yields a callback for `run_analyze(progress=...)`, or None when disabled or when
    standard error is not a terminal (a log file or a pipe gets no bar, and no blank line
    where the bar was)."""
    console = Console(stderr=True)
    if not enabled or not console.is_terminal:
        yield None
        return
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
        tasks = [progress.add_task("analyze", total=None)]

        def update(event: str, n: int) -> None:
            task = tasks[-1]
            if event == "files":
                progress.update(task, total=n)
            elif event == "file":
                progress.advance(task, n)
            elif event == "link":  # the files are in; claims are being linked: no known end,
                # so a pulsing bar of its own rather than the files' bar standing at 100%
                progress.remove_task(task)
                tasks.append(progress.add_task("link (claims and stance)", total=None))
            elif event == "link-wait":
                progress.update(task, description="link: waiting for another run on this store")

        yield update
