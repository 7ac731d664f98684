"""Throttling of invitation guesses: failed link or code tries are counted per client address
in the cache, and an address that used up its tries waits (tracker.services.invitations)."""

from django.core.cache import cache

# Failed code or token tries per client address before it must wait; with 27**8 (about 2.8e11)
# codes, 10 tries per 15 minutes from one address finds a live code with negligible chance.
GUESS_LIMIT = 10
GUESS_WINDOW_SECONDS = 15 * 60


class GuessesThrottled(Exception):
    def __init__(self, wait_seconds: int) -> None:
        super().__init__(f"Too many tries; wait {wait_seconds} seconds.")
        self.wait_seconds = wait_seconds


def _guess_key(address: str | None) -> str:
    return f"invitation-guesses:{address or 'unknown'}"


def invitation_guesses_check(*, address: str | None) -> None:
    """Raise GuessesThrottled while this address has used up its failed tries."""
    if (cache.get(_guess_key(address)) or 0) >= GUESS_LIMIT:
        raise GuessesThrottled(GUESS_WINDOW_SECONDS)


def invitation_guess_failed(address: str | None) -> None:
    key = _guess_key(address)
    # add() starts the window once; incr() is atomic in Redis and in the local cache.
    cache.add(key, 0, GUESS_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.add(key, 1, GUESS_WINDOW_SECONDS)
