"""``Memo``: results of read queries kept until the data they were read from change.

A list of alerts is asked for far more often than alerts change, so the store answers a
repeated query from memory while its ``version`` token (see ``AlertStore.version``) is the
one the answer was computed under. The token is read *before* computing, so a write that
lands meanwhile makes the next request recompute: an answer is never served under a newer
token than the data it was read from.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class Memo:
    """At most ``size`` answers, least recently used dropped first; safe across threads.

    >>> memo, calls = Memo(size=2), []
    >>> def compute() -> int:
    ...     calls.append(1)
    ...     return len(calls)
    >>> memo.get("q", 1, compute), memo.get("q", 1, compute), memo.get("q", 2, compute)
    (1, 1, 2)
    """

    def __init__(self, *, size: int = 128) -> None:
        self.size = size
        self._answers: OrderedDict[Hashable, tuple[Hashable, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, version: Hashable, compute: Callable[[], T]) -> T:
        """The answer to ``key`` under ``version``: remembered, or computed and remembered."""
        with self._lock:
            hit = self._answers.get(key)
            if hit is not None and hit[0] == version:
                self._answers.move_to_end(key)
                answer: T = hit[1]
                return answer
        value = compute()
        with self._lock:
            self._answers[key] = (version, value)
            self._answers.move_to_end(key)
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every answer."""
        with self._lock:
            self._answers.clear()
