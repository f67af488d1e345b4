"""A package as loaded by `MecaPyClient.load("owner/name[:version]")`: its functions
are attributes (`pkg.bolt_area`), or items for names that are not identifiers
(`pkg["solve-fast"]`). The functions are those of the given version, or of the latest
version that is not yanked, as the server listed them when the package was loaded."""
from __future__ import annotations

from typing import Any, Dict, Iterator, Mapping, Optional

from .functions import RemoteFunction


def parse_reference(reference: str) -> "tuple[str, Optional[str]]":
    """`owner/name[:version]` → (`owner/name`, version or None)."""
    name, _, version = reference.partition(":")
    owner, slash, package = name.partition("/")
    if not slash or not owner or not package or "/" in package:
        raise ValueError(f"{reference!r}: name a package as owner/name or owner/name:version")
    return name, version or None


class Package:
    """The functions of one version of a package."""

    def __init__(self, name: str, version: str, description: str, functions: Mapping[str, RemoteFunction],
                 data: Optional[Mapping[str, Any]] = None) -> None:
        self.name = name
        self.version = version
        self.description = description
        self.functions: Dict[str, RemoteFunction] = dict(functions)
        self.data: Dict[str, Any] = dict(data or {})
        self.__doc__ = f"{name} {version}: {description}\n\nFunctions: " + ", ".join(sorted(self.functions))

    def __getattr__(self, name: str) -> RemoteFunction:
        functions: Dict[str, RemoteFunction] = self.__dict__.get("functions") or {}
        if name in functions:
            return functions[name]
        raise AttributeError(f"package {self.__dict__.get('name')} has no function {name!r}; "
                             f"it has {', '.join(sorted(functions)) or 'none'}")

    def __getitem__(self, name: str) -> RemoteFunction:
        try:
            return self.functions[name]
        except KeyError:
            raise KeyError(f"package {self.name} has no function {name!r}") from None

    def __iter__(self) -> Iterator[RemoteFunction]:
        return iter(self.functions.values())

    def __dir__(self) -> "list[str]":
        return sorted(set(super().__dir__()) | {n for n in self.functions if n.isidentifier()})

    def __repr__(self) -> str:
        return f"<Package {self.name} {self.version}: {', '.join(sorted(self.functions))}>"
