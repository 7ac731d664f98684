"""Ways a reminder leaves the process. Each `send(delivery)` returns on success and raises
one of the errors below otherwise; the delivery service decides what happens next."""

from datetime import timedelta


class ChannelError(Exception):
    pass


class TransientChannelError(ChannelError):
    """Worth trying again later (timeouts, 429, 5xx, SMTP hiccups)."""

    def __init__(self, message: str, *, retry_after: timedelta | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentChannelError(ChannelError):
    """Trying again will not help (no address, a refused recipient)."""


class NothingToSend(ChannelError):
    """The channel has no way to reach this person (no push subscription, no e-mail)."""
