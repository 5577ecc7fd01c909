"""Progress bars for long builds and imports: tqdm on stderr, only when stderr is a terminal.

The library is silent unless asked (``Config.progress``, set by the command line unless
``--quiet``), and even then it draws nothing when stderr is a file or a pipe, so logs and
CI output stay clean.
"""
from __future__ import annotations

import os
import sys
from typing import Optional


class Progress:
    """A progress bar that may be off; ``update``/``close`` cost nothing then."""

    def __init__(self, total: Optional[int], desc: str, *, enabled: bool, unit: str = "doc"):
        self.bar = None
        if enabled and total and _terminal():
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, leave=False,
                            ncols=_columns(), mininterval=0.2)

    def update(self, n: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def set(self, done: int) -> None:
        if self.bar is not None:
            self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *_) -> None:
        self.close()


def _columns() -> int:
    # a terminal that reports no width (0 columns) would get an empty bar: assume 80
    try:
        return os.get_terminal_size(sys.stderr.fileno()).columns or 80
    except (OSError, ValueError, AttributeError):
        return 80


def _terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
