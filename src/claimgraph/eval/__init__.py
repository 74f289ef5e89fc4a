"""Evaluation of claimgraph against public gold data (../shared/evaldata).

`polnear` scores quote and reported-speech attribution on PolNeAR; `spans` holds the generic
character-span matching it uses.
"""

from .polnear import diagnose, evaluate, format_report, load_split, score

__all__ = ["diagnose", "evaluate", "format_report", "load_split", "score"]
