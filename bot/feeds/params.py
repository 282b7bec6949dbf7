"""Every tunable of the feed component, in one place."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FeedParams:
    default_interval: float = 15 * 60.0  # seconds between polls of one feed
    min_interval: float = 5 * 60.0  # no feed is polled more often than this
    max_failures: int = 5  # consecutive failures before a feed is paused
    max_posts_per_poll: int = 5  # new items processed per feed per poll, oldest first
    first_poll_posts: int = 1  # a new feed posts only its newest item(s)
    backoff_base: float = 60.0  # seconds after the first failure, doubling each time
    backoff_max: float = 6 * 3600.0
    backoff_jitter: float = 0.25  # +/- this fraction of the backoff, at random
    retry_after_max: float = 24 * 3600.0  # a longer Retry-After is capped to this
    host_gap: float = 1.0  # seconds between two requests to the same host
    max_feed_bytes: int = 5_000_000
    max_items_read: int = 200  # entries of one feed document looked at
    max_keywords: int = 10
    summary_fallback_min: int = 40  # characters a feed summary needs to stand in for a page
    loop_sleep_max: float = 60.0  # the background loop wakes at least this often
    loop_sleep_min: float = 5.0
