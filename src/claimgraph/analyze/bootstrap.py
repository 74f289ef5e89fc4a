"""Shares with 95% percentile bootstrap intervals over articles, as the outlet profiles
(`claimgraph.analyze.profiles`) give them: a ratio of sums over an outlet's articles,
recomputed on `n_boot` resamples of those articles drawn with replacement."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Share:
    """A ratio of sums (num / den, times `scale`) with its 95% bootstrap interval."""

    value: float | None
    lo: float | None
    hi: float | None
    num: float
    den: float

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "lo": self.lo, "hi": self.hi, "num": self.num, "den": self.den}


class Bootstrap:
    """Resampling weights for n articles: in resample b, article i is drawn `w[b, i]` times.

    Weights are drawn in chunks of `CHUNK` resamples, each from its own generator seeded with
    (seed, chunk number); they are kept when small, else drawn again for each ratio, so the
    memory stays at one chunk (CHUNK x n) however many articles an outlet has."""

    CHUNK = 100
    KEEP_CELLS = 5_000_000

    def __init__(self, n: int, n_boot: int, seed: int) -> None:
        self.n, self.n_boot, self.seed = n, n_boot, seed
        self._kept: list[np.ndarray] | None = None
        if n * n_boot <= self.KEEP_CELLS:
            self._kept = list(self._draw())

    def _draw(self) -> Iterable[np.ndarray]:
        if self._kept is not None:
            yield from self._kept
            return
        for c, start in enumerate(range(0, self.n_boot, self.CHUNK)):
            size = min(self.CHUNK, self.n_boot - start)
            rng = np.random.default_rng([self.seed, c])
            if not self.n:
                yield np.zeros((size, 0))
                continue
            draws = rng.integers(0, self.n, size=(size, self.n))
            cells = (draws + (np.arange(size) * self.n)[:, None]).ravel()
            yield np.bincount(cells, minlength=size * self.n).reshape(size, self.n).astype(float)

    def ratios(
        self, num: np.ndarray, den: np.ndarray, keys: Sequence[str], scale: float = 1.0
    ) -> dict[str, Share]:
        """Shares num[:, k].sum() / den.sum() for each key k (num: articles x keys)."""
        total_den = float(den.sum())
        out: dict[str, Share] = {}
        if not keys:
            return out
        chunks = [(w @ num, w @ den) for w in self._draw()]
        if chunks:
            boot_num = np.vstack([c[0] for c in chunks])
            boot_den = np.concatenate([c[1] for c in chunks])
        else:
            boot_num, boot_den = np.zeros((0, len(keys))), np.zeros(0)
        with np.errstate(divide="ignore", invalid="ignore"):
            boot = boot_num / boot_den[:, None] * scale
        boot = boot[boot_den > 0]
        for k, key in enumerate(keys):
            total_num = float(num[:, k].sum())
            value = total_num / total_den * scale if total_den else None
            lo = hi = None
            # One article resampled is itself every time: a (33–33) interval would look certain.
            # An interval needs at least two articles to vary over.
            if value is not None and len(boot) and self.n >= 2:
                lo = float(np.percentile(boot[:, k], 2.5))
                hi = float(np.percentile(boot[:, k], 97.5))
                # a constant resample gives back the point itself, not a rounding neighbour
                if np.all(boot[:, k] == boot[0, k]):
                    lo = hi = float(boot[0, k])
            out[key] = Share(value, lo, hi, total_num, total_den)
        return out
