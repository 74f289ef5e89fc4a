"""Analyses over extracted records: stance of statements toward claims (`stance`, built on
the parse rules of `polarity`), and the store-reading comparisons of outlets (`compare`,
`profiles`, `variants`, `wire`), imported from their own modules."""

from .stance import AFFIRM, DENY, LABELS, REPORT, StanceAnalyzer, StanceResult, stance

__all__ = ["AFFIRM", "DENY", "LABELS", "REPORT", "StanceAnalyzer", "StanceResult", "stance"]
