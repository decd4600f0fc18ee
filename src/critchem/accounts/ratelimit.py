"""``FailureLimiter``: refuse sign-in after too many failures in a sliding minute.

Failures are counted per key (the API uses client IP and user name), in memory, per
process: a sliding window of the last ``window`` seconds. A success clears the key.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable

from critchem.exceptions import RateLimitedError


class FailureLimiter:
    """At most ``limit`` failures per key within ``window`` seconds.

    >>> clock = iter([0.0, 1.0, 61.0]).__next__
    >>> limiter = FailureLimiter(limit=1, window=60.0, clock=clock)
    >>> limiter.record_failure("k")
    >>> limiter.check("k")
    Traceback (most recent call last):
    ...
    critchem.exceptions.RateLimitedError: too many failed attempts: try again in 59 seconds
    >>> limiter.check("k")  # the failure at 0 s has left the window at 61 s
    """

    def __init__(
        self, *, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._failures: defaultdict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _prune(self, key: str, now: float) -> deque[float]:
        failures = self._failures[key]
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def check(self, key: str) -> None:
        """Raise ``RateLimitedError`` (with ``retry_after``) if ``key`` has used up its tries."""
        with self._lock:
            now = self._clock()
            failures = self._prune(key, now)
            if len(failures) >= self.limit:
                wait = max(1, math.ceil(failures[0] + self.window - now))
                raise RateLimitedError(
                    f"too many failed attempts: try again in {wait} seconds", retry_after=wait
                )

    def record_failure(self, key: str) -> None:
        """Count one failure of ``key`` now."""
        with self._lock:
            now = self._clock()
            self._prune(key, now).append(now)

    def reset(self, key: str) -> None:
        """Forget the failures of ``key`` (after a success)."""
        with self._lock:
            self._failures.pop(key, None)
