"""One registry mechanism for every plug-in family: an explicit dict filled by registration.

A family (detectors, methodologies, indicator families, trade sources, eligibility rules, ...)
is a small base class with a ``name`` and one ``Registry`` of its plug-ins: classes or
instances, whatever the family calls. Nothing scans subclasses: a plug-in is in the registry
because ``register`` was called with it. The built-in plug-ins are registered on first use of
the registry (``builtins``), so importing a family costs nothing; the order of registration
is kept (eligibility rules are checked in that order).

>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Greeting:
...     name: str
>>> greetings = Registry[Greeting]("greeting", builtins=lambda: [Greeting("hello")])
>>> greetings.register(Greeting("hi")).name
'hi'
>>> list(greetings), greetings.lookup("hello")
(['hello', 'hi'], Greeting(name='hello'))
>>> greetings.lookup("hey")
Traceback (most recent call last):
...
critchem.core.errors.NotFoundError: no greeting named 'hey'; known: hello, hi
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Generic, Protocol, TypeVar

from critchem.core.errors import NotFoundError


class Named(Protocol):
    """What a plug-in needs: a ``name`` (a class attribute of a class, or of an instance)."""

    @property
    def name(self) -> str: ...


T = TypeVar("T", bound=Named)


class Registry(Mapping[str, T], Generic[T]):
    """The plug-ins of one family by name, in registration order.

    Parameters
    ----------
    family
        What one plug-in is called in messages (``"detector"``, ``"trade source"``).
    builtins
        Returns the plug-ins shipped with critchem; called once, on first use. A plug-in
        module that registers itself when imported may be imported there (return nothing).
    check
        Called with a new plug-in and the registry before it is added; raises to refuse it
        (e.g. two indicator families providing the same indicator).
    duplicate
        The error raised when another plug-in already has the name (default ``ValueError``).
    not_found
        The error ``lookup`` raises for an unknown name (a ``NotFoundError``).
    """

    def __init__(
        self,
        family: str,
        *,
        builtins: Callable[[], Iterable[T]] | None = None,
        check: Callable[[T, Mapping[str, T]], None] | None = None,
        duplicate: type[Exception] = ValueError,
        not_found: type[NotFoundError] = NotFoundError,
    ) -> None:
        self.family = family
        self._builtins = builtins
        self._check = check
        self._duplicate = duplicate
        self._not_found = not_found
        self._plugins: dict[str, T] = {}
        self._loaded = builtins is None
        self._loading = threading.RLock()

    def _load(self) -> dict[str, T]:
        if not self._loaded:
            with self._loading:
                if not self._loaded and self._builtins is not None:
                    self._loaded = True  # first: a built-in module may register itself
                    for plugin in self._builtins():
                        self.register(plugin)
        return self._plugins

    def register(self, plugin: T, *, replace: bool = False) -> T:
        """Add ``plugin`` under its ``name`` and return it (usable as a class decorator).

        Registering the same plug-in twice changes nothing; another plug-in with a name
        already taken is refused unless ``replace`` is true.
        """
        plugins = self._load()
        name = plugin.name
        if not name:
            raise self._duplicate(f"{self.family} {plugin!r} has no name")
        existing = plugins.get(name)
        if existing is plugin:
            return plugin
        if existing is not None and not replace:
            raise self._duplicate(
                f"a {self.family} named {name!r} is already registered"
                " (pass replace=True to replace it)"
            )
        if self._check is not None:
            others = {n: p for n, p in plugins.items() if n != name}
            self._check(plugin, others)
        plugins[name] = plugin
        return plugin

    def lookup(self, name: str) -> T:
        """The plug-in registered as ``name``; ``not_found`` lists the known names otherwise."""
        plugins = self._load()
        try:
            return plugins[name]
        except KeyError:
            known = sorted(plugins)
            raise self._not_found(
                f"no {self.family} named {name!r}; known: {', '.join(known)}", known
            ) from None

    def __getitem__(self, name: str) -> T:
        return self._load()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def __repr__(self) -> str:
        return f"Registry({self.family!r}, {list(self._load())})"

    @contextmanager
    def restored(self) -> Iterator[Registry[T]]:
        """Within the block, plug-ins may be added or replaced; afterwards the registry is back.

        For tests and trials that register a plug-in the rest of the process must not see.
        """
        saved = dict(self._load())
        try:
            yield self
        finally:
            self._plugins.clear()
            self._plugins.update(saved)
