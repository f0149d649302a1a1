"""Exit statuses of the command line, shared by its local and server-side commands."""

from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    """Exit statuses, so a CI job can tell what happened (documented in --help and the README)."""

    OK = 0  # everything asked was done: each reference added or already listed
    NOT_DONE = 1  # something was not done: a reference invalid, not found, without a section, refused
    USAGE = 2  # bad arguments, settings or files: nothing was tried
    ARXIV_UNAVAILABLE = 3  # arXiv did not answer: nothing was changed, try again later


EXIT_CODES = """exit status:
  0  done: every reference was added or is already listed (update: the list is up to date)
  1  not everything was done: a reference was invalid, not found on arXiv, matched no section or
     was refused by a check (the others were still added); update: the list has no latest-papers
     block, or (with the GitHub App) a repository failed
  2  usage, settings or file problem (bad arguments, unusable settings, no such list): nothing tried
  3  arXiv did not answer (outage, rate limit, timeout): nothing was changed; try again later"""
