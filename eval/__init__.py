"""Scoring extractions against gold annotations (``gongkai eval``).

One module per job: ``gold`` loads and checks gold files, ``tables``,
``narrative``, ``calibration`` and ``validation`` compute scores, ``report``
writes ``metrics.json`` and ``report.html``, ``diff`` compares two runs, ``run``
ties them together and ``cli`` is the command line.
"""

from .gold import GoldDoc, GoldError, load_gold
from .run import EvalError, run_eval

__all__ = ["EvalError", "GoldDoc", "GoldError", "load_gold", "run_eval"]
