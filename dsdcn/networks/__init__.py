"""Whole networks as layer tables: built-in classics, analysis, the separable rewrite, torch build, exports."""

from .table import (
    KINDS,
    Analysis,
    NetLayer,
    Network,
    Row,
    Totals,
    analyse,
    causal,
    conv,
    merge,
    pool,
)
from .zoo import BUILTINS, NETWORK_CODES, PUBLISHED_TOLERANCE, builtin, from_stack

__all__ = [
    "BUILTINS",
    "KINDS",
    "NETWORK_CODES",
    "PUBLISHED_TOLERANCE",
    "Analysis",
    "NetLayer",
    "Network",
    "Row",
    "Totals",
    "analyse",
    "builtin",
    "causal",
    "conv",
    "from_stack",
    "merge",
    "pool",
]
