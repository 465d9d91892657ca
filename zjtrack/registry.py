"""The units registry: canonical unit names, their aliases, and how a written name resolves."""

from __future__ import annotations

from collections.abc import Iterable

from .model import Name, Responsibility, Unit
from .problems import nearest


class Registry:
    """Resolves a unit name as written in a document of a region to its canonical unit."""

    def __init__(self, units: Iterable[Unit]) -> None:
        self.units: dict[str, Unit] = {}
        self._by_name: dict[tuple[str | None, str], Unit] = {}
        self._memo: dict[tuple[int, str | None], tuple[tuple[Name, ...], list[str]]] = {}
        for unit in units:
            self.units.setdefault(unit.name, unit)
            self._by_name.setdefault((None, unit.name), unit)
            for alias in unit.aliases:
                self._by_name.setdefault((unit.region, alias), unit)

    def canonical(self, names: tuple[Name, ...], region: str | None) -> list[str]:
        """Canonical unit names for names as written (unresolved ones kept as written). Memoised
        per tuple: a measure's units are shared by all its targets' rows."""
        key = (id(names), region)
        hit = self._memo.get(key)
        if hit is None or hit[0] is not names:
            out = []
            for n in names:
                unit = self.resolve(n.text, region)
                out.append(unit.name if unit else n.text)
            hit = self._memo[key] = (names, out)
        return list(hit[1])

    def canonical_units(self, r: Responsibility, region: str | None) -> list[list[str]]:
        """Canonical lead, responsible, college, enterprise and supporting units of `r`."""
        names = (
            r.lead_units,
            r.responsible_units,
            r.lead_colleges,
            r.lead_enterprises,
            r.supporting_units,
        )
        return [self.canonical(n, region) for n in names]

    def resolve(self, name: str, region: str | None = None) -> Unit | None:
        """The unit `name` means in a document of `region`: exact name first, then aliases."""
        return self._by_name.get((None, name)) or (
            self._by_name.get((region, name)) if region else None
        )

    def candidates(self, region: str | None = None) -> list[str]:
        return [n for (r, n) in self._by_name if r is None or r == region]

    def names(self) -> list[str]:
        """Every name a user may type for a unit: canonical names and aliases, of every region."""
        return list(dict.fromkeys(n for (_, n) in self._by_name))

    def suggest(self, name: str, region: str | None = None) -> str | None:
        close = nearest(name, self.candidates(region))
        return close[0] if close else None

    def find(self, query: str) -> list[Unit]:
        """Units a user means by `query` (name or alias, any region), for --unit filters."""
        exact = [u for (_, n), u in self._by_name.items() if n == query]
        return list({u.name: u for u in exact}.values())
