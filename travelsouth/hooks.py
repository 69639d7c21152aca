"""Hooks: how a lower app tells the apps above it that something happened, without importing them.

Imports flow one way (docs/architecture.md): cities knows nothing of partnerships. Yet when a city's
good practices change, matching must refresh the city's proposals; when a person withdraws consent,
what waits to be sent to them must be cancelled. So the lower app declares a hook and calls it from
its services, explicitly, at the point of the change; the higher app connects its receiver in its
``AppConfig.ready()``.

Unlike model signals, a hook fires only where a service calls it (never from ``bulk_create``, an
admin form that bypasses the services, or a fixture), and each hook has a docstring saying who calls
it and what the receivers may do. Receivers run synchronously, inside the caller's transaction:
a receiver that wants work done after commit schedules it itself (``transaction.on_commit``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Hook:
    """One named extension point. ``connect`` a receiver once (at app start); ``send`` calls them all,
    in the order connected, with the hook's keyword arguments, and returns their results."""

    def __init__(self, name: str, doc: str) -> None:
        self.name = name
        self.__doc__ = doc
        self._receivers: list[Callable[..., Any]] = []

    def connect(self, receiver: Callable[..., Any]) -> Callable[..., Any]:
        if receiver not in self._receivers:
            self._receivers.append(receiver)
        return receiver

    def send(self, **kwargs: Any) -> list[Any]:
        return [receiver(**kwargs) for receiver in self._receivers]

    @property
    def receivers(self) -> tuple[Callable[..., Any], ...]:
        return tuple(self._receivers)

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._receivers)} receiver(s)>"
