"""Who answers next: a bounded, ordered waiting line with positions and a time estimate.

Generation on the local backend runs one at a time (two llama.cpp jobs on 2 cores crawl); a remote
backend may serve several at once. Gradio's own queue shows nothing while an event waits for a free
worker, so the chat admits its answers here instead and tells each user how many are ahead.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass

from index.errors import GisaError

# Seconds one answer takes before any is measured: the warm p50 total of bench/results/answer.md, rounded up.
FIRST_ESTIMATE_S = 5.0
ESTIMATE_WEIGHT = 0.3  # how much each finished answer moves the running estimate


class BusyError(GisaError):
    """The waiting line is full."""


@dataclass
class Ticket:
    """One admitted request: its place is its position in the line."""

    number: int


class AnswerQueue:
    """At most `slots` answers run at once; at most `max_waiting` more wait, first come first served."""

    def __init__(self, slots: int = 1, max_waiting: int = 30) -> None:
        if slots < 1 or max_waiting < 0:
            raise ValueError("slots must be >= 1 and max_waiting >= 0")
        self.slots = slots
        self.max_waiting = max_waiting
        self._line: deque[Ticket] = deque()
        self._cond = threading.Condition()
        self._count = 0
        self._estimate = FIRST_ESTIMATE_S

    def join(self) -> Ticket:
        """Take a place in line, or raise BusyError when the line is full."""
        with self._cond:
            if len(self._line) >= self.slots + self.max_waiting:
                raise BusyError(
                    f"busy: {len(self._line)} questions are already queued; try again in a minute "
                    f"(바쁩니다: 대기 중인 질문이 {len(self._line)}개입니다. 잠시 후 다시 시도하세요)"
                )
            self._count += 1
            ticket = Ticket(self._count)
            self._line.append(ticket)
            return ticket

    def wait(self, ticket: Ticket, timeout: float) -> int:
        """Wait up to `timeout` seconds for the ticket's turn; returns how many are still ahead."""
        with self._cond:
            self._cond.wait_for(lambda: self._position(ticket) < self.slots, timeout)
            return max(0, self._position(ticket) - self.slots + 1)

    def _position(self, ticket: Ticket) -> int:
        return list(self._line).index(ticket)

    def eta(self, ahead: int) -> float:
        """Seconds until a ticket with `ahead` others before it may start, from recent answer times."""
        return (ahead + 1) * self._estimate / self.slots

    def leave(self, ticket: Ticket, started: float | None = None) -> None:
        """Give the place up (answered, failed or abandoned); an answered ticket updates the estimate."""
        with self._cond:
            if ticket in self._line:
                self._line.remove(ticket)
            if started is not None:
                took = time.monotonic() - started
                self._estimate = (1 - ESTIMATE_WEIGHT) * self._estimate + ESTIMATE_WEIGHT * took
            self._cond.notify_all()

    def __len__(self) -> int:
        with self._cond:
            return len(self._line)
