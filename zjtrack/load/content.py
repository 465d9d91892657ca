"""What one file holds once read: kept apart from `reader`, which imports PyYAML, so that a run
whose files all come from the cache never loads it."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Config, Decision, Document, History, ProgressRecord, Unit
from ..problems import Problem


@dataclass
class FileContent:
    """What one file holds: a document, units, progress records or a config, and its problems."""

    document: Document | None = None
    units: list[Unit] = field(default_factory=list)
    records: list[ProgressRecord] = field(default_factory=list)
    history: History = field(default_factory=dict)  # `records` by target (model.history_of)
    config: Config | None = None
    decisions: list[Decision] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def records_only(self) -> bool:
        """Nothing but progress records (or none): no document, units, config or decisions."""
        return (
            self.document is None and not self.units and self.config is None and not self.decisions
        )
