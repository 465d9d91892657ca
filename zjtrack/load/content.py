"""What one file holds once read: kept apart from `reader`, which imports PyYAML, so that a run
whose files all come from the cache never loads it."""

from __future__ import annotations

from ..model import Config, Decision, Document, History, ProgressRecord, Unit
from ..problems import Problem

_FIELDS = ("document", "units", "records", "history", "config", "decisions", "problems")


class FileContent:
    """What one file holds: a document, units, progress records or a config, and its problems.
    (A plain class, as a dataclass would make it: `dataclasses` imports `inspect`, a few
    milliseconds of every run that reads a changed file.)"""

    __slots__ = _FIELDS

    def __init__(
        self,
        document: Document | None = None,
        units: list[Unit] | None = None,
        records: list[ProgressRecord] | None = None,
        history: History | None = None,  # `records` by target (model.history_of)
        config: Config | None = None,
        decisions: list[Decision] | None = None,
        problems: list[Problem] | None = None,
    ) -> None:
        self.document = document
        self.units: list[Unit] = [] if units is None else units
        self.records: list[ProgressRecord] = [] if records is None else records
        self.history: History = {} if history is None else history
        self.config = config
        self.decisions: list[Decision] = [] if decisions is None else decisions
        self.problems: list[Problem] = [] if problems is None else problems

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in _FIELDS)

    __hash__ = None  # type: ignore[assignment]  # mutable, as a dataclass's

    def __repr__(self) -> str:
        inner = ", ".join(f"{f}={getattr(self, f)!r}" for f in _FIELDS)
        return f"FileContent({inner})"

    def records_only(self) -> bool:
        """Nothing but progress records (or none): no document, units, config or decisions."""
        return (
            self.document is None and not self.units and self.config is None and not self.decisions
        )
