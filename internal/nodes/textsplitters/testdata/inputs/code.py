"""A small rate limiter and its tests, used to exercise the Python separators."""

import time
from dataclasses import dataclass, field


class RateLimitExceeded(Exception):
    """Raised when a caller asks for more tokens than the bucket holds."""


@dataclass
class TokenBucket:
    capacity: int
    refill_per_second: float
    tokens: float = field(init=False)
    updated: float = field(init=False)

    def __post_init__(self):
        self.tokens = float(self.capacity)
        self.updated = time.monotonic()

    def _refill(self, now):
        elapsed = now - self.updated
        self.tokens = min(self.capacity, self.tokens + elapsed * self.refill_per_second)
        self.updated = now

    def take(self, n=1, now=None):
        now = time.monotonic() if now is None else now
        self._refill(now)
        if n > self.capacity:
            raise RateLimitExceeded(f"asked for {n} tokens, capacity is {self.capacity}")
        if self.tokens < n:
            return False
        self.tokens -= n
        return True


def limiter_for(plan):
	"""Tabs on purpose: the separator list has a tab-indented def."""
	def build(capacity, rate):
		return TokenBucket(capacity, rate)
	if plan == "free":
		return build(10, 0.5)
	return build(100, 10)


class TestTokenBucket:
    def test_starts_full(self):
        bucket = TokenBucket(5, 1)
        assert bucket.tokens == 5

    def test_take_until_empty(self):
        bucket = TokenBucket(2, 0)
        assert bucket.take(now=0)
        assert bucket.take(now=0)
        assert not bucket.take(now=0)

    def test_refill(self):
        bucket = TokenBucket(2, 1)
        bucket.take(2, now=0)
        assert bucket.take(1, now=1.5)


if __name__ == "__main__":
    print(limiter_for("free").take())
