"""Errors a user can act on. Their messages are written for that user and safe to post publicly."""

from __future__ import annotations


class PaperbotError(Exception):
    """Base class: `str(error)` is a complete sentence for the person who can act on it."""


class ArxivUnavailable(PaperbotError):
    """arXiv did not answer usefully (outage, rate limit, timeout) after our retries."""


class ListFileMissing(PaperbotError):
    """The configured list file does not exist on the default branch."""


class NotAllowed(PaperbotError):
    """The sender lacks the permission a command needs."""
