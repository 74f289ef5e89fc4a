"""Shares with 95% percentile bootstrap intervals over articles, as the outlet profiles
(`claimgraph.analyze.profiles`) give them: a ratio of sums over an outlet's articles,
recomputed on `n_boot` resamples of those articles drawn with replacement, the resamples'
sums kept as the articles stream by (`Resampler`, `Sums`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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


class Resampler:
    """Bootstrap weights over `n` articles drawn one article at a time: in resample b, n
    articles are drawn with replacement (a multinomial), and article i is drawn `w[b]` times,
    where ``w = next()`` is called once per article in order. Each article's draw is the
    multinomial's conditional, Binomial(draws left, 1 / articles left), so the weights are
    exactly multinomial while only the draws left per resample are held: a profile's
    bootstrap streams its articles in memory of n_boot numbers, not n_boot x n."""

    def __init__(self, n: int, n_boot: int, seed: int) -> None:
        self.n, self.n_boot = n, n_boot
        self._rng = np.random.default_rng(seed)
        self._left = np.full(n_boot, n, dtype=np.int64)
        self._i = 0

    def next(self) -> np.ndarray:
        """The next article's draw count in each resample (floats)."""
        if self._i >= self.n:
            raise IndexError("every article has its weights")
        w = self._rng.binomial(self._left, 1.0 / (self.n - self._i))
        self._left -= w
        self._i += 1
        return w.astype(np.float64)


class Sums:
    """Amounts by key summed over articles: plainly, and in each resample (each article's
    amounts times its `Resampler` weights). Every key seen is kept, amount 0 included: a
    share of 0 is a share."""

    __slots__ = ("boot", "keys", "n_boot", "total")

    def __init__(self, n_boot: int) -> None:
        self.n_boot = n_boot
        self.keys: dict[str, int] = {}
        self.total: list[float] = []
        self.boot: list[np.ndarray] = []

    def add(self, w: np.ndarray, counts: Mapping[str, float]) -> None:
        """One article's amounts by key, with its weights `w`."""
        for k, amount in counts.items():
            j = self.keys.get(k)
            if j is None:
                j = self.keys[k] = len(self.total)
                self.total.append(0.0)
                self.boot.append(np.zeros(self.n_boot))
            self.total[j] += amount
            if amount:
                self.boot[j] += w * amount

    def ordered(self) -> tuple[list[str], np.ndarray, np.ndarray]:
        """Keys by total then name, their totals and their resample sums (n_boot x keys)."""
        names = list(self.keys)
        order = sorted(range(len(names)), key=lambda j: (-self.total[j], names[j]))
        totals = np.array([self.total[j] for j in order], dtype=np.float64)
        boot = (
            np.stack([self.boot[j] for j in order], axis=1) if order else np.zeros((self.n_boot, 0))
        )
        return [names[j] for j in order], totals, boot

    def row_sums(self) -> tuple[float, np.ndarray]:
        """The total and resample sums over every key: the denominator of shares of the
        whole (each article's amounts summed)."""
        boot = np.sum(self.boot, axis=0) if self.boot else np.zeros(self.n_boot)
        return float(sum(self.total)), boot


def shares(
    n: int,
    keys: Sequence[str],
    num: np.ndarray,
    den: float,
    boot_num: np.ndarray,
    boot_den: np.ndarray,
    scale: float = 1.0,
) -> dict[str, Share]:
    """Shares num[k] / den (times `scale`) over `n` articles, each with the 2.5th and 97.5th
    percentiles of the same ratio over the resamples (boot_num: n_boot x keys; a resample
    whose denominator is 0 is left out)."""
    out: dict[str, Share] = {}
    if not len(keys):
        return out
    with np.errstate(divide="ignore", invalid="ignore"):
        boot = boot_num / boot_den[:, None] * scale
    boot = boot[boot_den > 0]
    for k, key in enumerate(keys):
        total_num = float(num[k])
        value = total_num / den * scale if den else None
        lo = hi = None
        # One article resampled is itself every time: a (33–33) interval would look certain.
        # An interval needs at least two articles to vary over.
        if value is not None and len(boot) and n >= 2:
            lo = float(np.percentile(boot[:, k], 2.5))
            hi = float(np.percentile(boot[:, k], 97.5))
            # a constant resample gives back the point itself, not a rounding neighbour
            if np.all(boot[:, k] == boot[0, k]):
                lo = hi = float(boot[0, k])
        out[key] = Share(value, lo, hi, total_num, den)
    return out
