"""zjtrack: follow every target of a government policy document to the end."""

__version__ = "0.1.0"
