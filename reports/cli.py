"""Sub-commands of this package (registered by main.py)."""
from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add this package's sub-commands; handlers are "module:function" strings."""
