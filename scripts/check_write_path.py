"""One write path, one read path: an AST check over src/beredskap.

Every change goes through an app's `services` (one transaction, the change log, permission checked
first) and every protected record leaves the database through `visible_to(user)` (need-to-know and
the read log). A view or a helper that calls the ORM directly skips both, so this check refuses:

- ORM writes (`.save()`, `.delete()`, `.create(**kw)`, `.update(**kw)`, `bulk_create`,
  `bulk_update`, `get_or_create`, `update_or_create`, and `.add/.remove/.set/.clear` on a
  many-to-many field of the project) outside `services` modules;
- reads of a protected model (`Model.objects.…` on a model whose manager has `visible_to`) outside
  `queries` modules, `services` modules (a write loads, locks and checks the row it changes),
  `models` modules (managers and model methods) and functions named `visible_to`.

Migrations and demo data (`demo.py`, which loads the demo through services where it can) are not
checked. Anything else is listed in `scripts/write_path_allow.txt`, one entry a line:
`path::function what -- reason` (`*` matches anything, for a whole module). An entry that no
longer matches is reported too, so the list only shrinks.
Usage: `python scripts/check_write_path.py` (exit 1 on any finding).
"""

from __future__ import annotations

import ast
import fnmatch
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "beredskap"
ALLOW = ROOT / "scripts" / "write_path_allow.txt"

ALWAYS_WRITES = {"bulk_create", "bulk_update", "get_or_create", "update_or_create"}
# Called with keyword arguments only, these are the ORM's (dict.update, set.add take positionals).
KEYWORD_WRITES = {"create", "update"}
# Called without positional arguments these are the ORM's (a workbook's save(path) is not).
BARE_WRITES = {"save", "delete"}
M2M_WRITES = {"add", "remove", "set", "clear"}
PROTECTED_BASES = {"ProtectedModel"}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    function: str
    what: str

    @property
    def key(self) -> str:
        return f"{self.path}::{self.function} {self.what}"


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _files() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)


def _parsed() -> dict[Path, ast.Module]:
    return {p: ast.parse(p.read_text(encoding="utf-8"), filename=str(p)) for p in _files()}


def protected_models(trees: dict[Path, ast.Module]) -> set[str]:
    """Names of model classes that inherit ProtectedModel, directly or through another model."""
    bases: dict[str, set[str]] = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases.setdefault(node.name, set()).update(_name(b) for b in node.bases)
    found = set(PROTECTED_BASES)
    grew = True
    while grew:
        grew = False
        for cls, parents in bases.items():
            if cls not in found and parents & found:
                found.add(cls)
                grew = True
    return found - PROTECTED_BASES


def m2m_fields(trees: dict[Path, ast.Module]) -> set[str]:
    """Names of the project's many-to-many fields and their related names."""
    names: set[str] = set()
    for tree in trees.values():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)):
                continue
            if _name(node.value.func) != "ManyToManyField":
                continue
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
            for kw in node.value.keywords:
                value = kw.value
                named = kw.arg == "related_name" and isinstance(value, ast.Constant)
                if named and "%" not in str(value.value) and value.value != "+":
                    names.add(str(value.value))
    return names


def _kind(path: Path) -> set[str]:
    """The layers a module belongs to: services, queries, models, demo."""
    parts = set(path.relative_to(SRC).with_suffix("").parts)
    return parts & {"services", "queries", "models", "demo"}


class Visitor(ast.NodeVisitor):
    def __init__(self, path: Path, protected: set[str], m2m: set[str]) -> None:
        self.rel = str(path.relative_to(ROOT))
        self.kind = _kind(path)
        self.protected = protected
        self.m2m = m2m
        self.stack: list[str] = []
        self.findings: list[Finding] = []
        self.parents: dict[ast.AST, ast.AST] = {}

    def visit_Module(self, node: ast.Module) -> None:
        for parent in ast.walk(node):
            for child in ast.iter_child_nodes(parent):
                self.parents[child] = parent
        self.generic_visit(node)

    def _scope(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        self.stack.append(node.name)
        self.generic_visit(node)
        self.stack.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _scope

    def _add(self, node: ast.AST, what: str) -> None:
        function = ".".join(self.stack) or "<module>"
        self.findings.append(Finding(self.rel, getattr(node, "lineno", 0), function, what))

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Attribute) and "services" not in self.kind:
            what = self._write(node.func, node)
            if what:
                self._add(node, f"write .{what}()")
        self.generic_visit(node)

    def _write(self, func: ast.Attribute, call: ast.Call) -> str:
        attr = func.attr
        positional = bool(call.args)
        if attr in ALWAYS_WRITES:
            return attr
        if attr in KEYWORD_WRITES and not positional and call.keywords:
            return attr
        if attr in BARE_WRITES and not positional:
            return attr
        on_field = isinstance(func.value, ast.Attribute) and func.value.attr in self.m2m
        if attr in M2M_WRITES and on_field:
            return f"{func.value.attr}.{attr}"
        return ""

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if (
            node.attr == "objects"
            and isinstance(node.value, ast.Name)
            and node.value.id in self.protected
            and not self.kind & {"queries", "services", "models"}
            and "visible_to" not in self.stack
            and not self._through_visible_to(node)
        ):
            self._add(node, f"read {node.value.id}.objects")
        self.generic_visit(node)

    def _through_visible_to(self, node: ast.AST) -> bool:
        """`Model.objects[.filter(…)].visible_to(user)` or `.none()` in the same chain."""
        parent = self.parents.get(node)
        while isinstance(parent, ast.Attribute | ast.Call):
            if isinstance(parent, ast.Attribute) and parent.attr in ("visible_to", "none"):
                return True
            parent = self.parents.get(parent)
        return False


def findings() -> list[Finding]:
    trees = _parsed()
    protected, m2m = protected_models(trees), m2m_fields(trees)
    out: list[Finding] = []
    for path, tree in trees.items():
        if "demo" in _kind(path):
            continue
        visitor = Visitor(path, protected, m2m)
        visitor.visit(tree)
        out.extend(visitor.findings)
    return out


def allowed() -> dict[str, str]:
    """Allow-list entries (`path::function what -- reason`) by key; an entry needs a reason."""
    entries: dict[str, str] = {}
    for number, raw in enumerate(ALLOW.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, reason = line.partition(" -- ")
        if not sep or not reason.strip():
            sys.exit(f"{ALLOW.name}:{number}: an entry needs ' -- <reason>': {line}")
        entries[key.strip()] = reason.strip()
    return entries


def report() -> Iterator[str]:
    allow = allowed()
    seen: set[str] = set()
    for f in findings():
        matched = {key for key in allow if fnmatch.fnmatchcase(f.key, key)}
        seen |= matched
        if not matched:
            where = "outside services" if f.what.startswith("write") else "outside queries"
            yield f"{f.path}:{f.line}: {f.what} {where} (in {f.function})"
    for key in sorted(set(allow) - seen):
        yield f"{ALLOW.relative_to(ROOT)}: stale entry, nothing matches it any more: {key}"


def main() -> int:
    problems = list(report())
    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} write-path/read-path finding(s); see {ALLOW.relative_to(ROOT)}")
        return 1
    print("write path: every ORM write in services, every protected read through visible_to")
    return 0


if __name__ == "__main__":
    sys.exit(main())
