"""Counting many occurrences while keeping only the first few: one finding, never 10,000 lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_SAMPLES = 5


@dataclass
class Occurrences:
    count: int = 0
    samples: list[Any] = field(default_factory=list)

    def add(self, sample: Any, n: int = 1) -> None:
        self.count += n
        if len(self.samples) < MAX_SAMPLES:
            self.samples.append(sample)

    def extend(self, samples: list[Any], total: int) -> None:
        """Add `total` occurrences of which `samples` are the first ones."""
        self.count += total
        room = MAX_SAMPLES - len(self.samples)
        if room > 0:
            self.samples.extend(samples[:room])

    @property
    def first(self) -> Any:
        return self.samples[0] if self.samples else None

    def __bool__(self) -> bool:
        return self.count > 0
