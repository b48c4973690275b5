"""The `csc` command: thin, it parses the command line, builds the settings and calls core or the
Dagster jobs."""

from .main import main

__all__ = ["main"]
