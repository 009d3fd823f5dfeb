"""The policy coverage matrix: for every clause of policy 385, the controls in the code that enforce it and the
tests that show it, both found in the source rather than kept by hand, so the matrix cannot drift from the code.

- Clauses come from the policy text (`parse_policy`): each numbered section ("385.4.1", "385.5.2(b)") and each
  lettered item under it ("385.4(a)") is a clause.
- Controls are found by reading the apps' source with `ast` (`discover_controls`): a clause id passed as a value
  to any call (`PolicyViolation("385.3", ...)`, `Reason("385.8", ...)`, `section="385.5(c)"`, also through a
  module constant such as `SECTION = "385.5(b)"`), and `@enforces(...)` from `core.policy`. A clause id in prose
  (docstrings, comments, help text, labels) is not a control: it says what the code is about, not that it refuses.
- Tests are found by reading tests/ for `pytest.mark.policy(...)` (`discover_tests`).
- Clauses no software can enforce are declared, with the reason, in oversight/policy/not_enforceable.toml.
- Clauses software can enforce but that are not built yet are declared, with what will enforce them, in
  oversight/policy/planned.toml. They are PLANNED: listed on their own, never counted as covered, and reported as
  stale once a control and a test cite them.

A citation of a lettered item covers that item; a citation of a bare section ("385.5") covers the section's own
text only, never its items, so a broad citation cannot make a specific rule look enforced.
"""

from __future__ import annotations

import ast
import enum
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from core.policy import CLAUSE_ID

from .policy import NOT_ENFORCEABLE, PLANNED, SHIPPED_TEXT

CHAPTER = "385"
APPS = ("core", "members", "posts", "moderation", "retention", "oversight", "vetting", "api", "socialgov")
TESTS_DIR = "tests"
# Generated or foreign code: never where a control is written.
SKIPPED_DIRS = frozenset({"migrations", "tests", "__pycache__", ".venv", "node_modules"})


class PolicyError(ValueError):
    """The policy text or the declarations cannot be read as they are; the message names the file and the place."""


# Clauses --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clause:
    id: str
    kind: str  # "section" (a numbered heading) or "item" (a lettered item under one)
    title: str  # the heading's words for a section; empty for an item
    text: str  # whitespace collapsed, page furniture removed
    line: int
    parent: str | None = None

    @property
    def excerpt(self) -> str:
        text = self.text or self.title
        return text if len(text) <= 160 else text[:157].rsplit(" ", 1)[0] + " …"

    @property
    def anchor(self) -> str:
        """A fragment id for the page: 385.5.2(b) -> clause-385-5-2-b."""
        return "clause-" + re.sub(r"[^0-9a-z]+", "-", self.id.lower()).strip("-")

    @property
    def wording(self) -> tuple[str, str]:
        """What a revision must leave alone for the clause to count as unchanged."""
        return (self.title, self.text)


def _heading(line: str, chapter: str) -> tuple[str, str, str] | None:
    """(id, title, rest of the line) when `line` opens a section, e.g. "385.5.2(b) DEPARTMENT-SANCTIONED USE"."""
    m = re.match(rf"({re.escape(chapter)}(?:\.\d+)+(?:\([A-Za-z]\))?)\s+(\S.*)$", line)
    if not m:
        return None
    clause_id, rest = m.group(1).lower(), m.group(2).strip()
    # The manual writes headings in capitals; a heading line may carry the title again in mixed case after it.
    upper = re.match(r"[A-Z0-9][A-Z0-9 .:,&/'’()\-]*[A-Z0-9)](?=\s|$)", rest)
    if upper and sum(c.isalpha() for c in upper.group(0)) >= 3:
        title = upper.group(0).strip()
        tail = rest[upper.end() :].strip()
        if tail.casefold() == title.casefold():
            tail = ""
        return clause_id, title, tail
    # A revision may use title case: a short line that does not read as a sentence.
    if len(rest) <= 80 and rest[0].isupper() and rest[-1] not in ".,;:":
        return clause_id, rest, ""
    return None


ITEM = re.compile(r"^(?:[-•*–]\s*)?\((?P<letter>[A-Za-z])\)\s+(?P<text>\S.*)$")
BULLET = re.compile(r"^[-•*–]\s+")
# The manual's note on where a section departs from the model policy: about the text, not part of it.
EDITORIAL = re.compile(r"^Best Practice(?: MODIFIED)?$")


def _shape(line: str) -> str:
    """A line with its numbers blanked, so "Page 3" and "Page 4" are the same footer."""
    return re.sub(r"\d+", "#", line)


def _furniture(lines: list[str], chapter: str) -> set[str]:
    """Running headers and footers, by shape: short lines that repeat and do not read as sentences. They come
    from the page layout, so a revision that only moves page breaks must not look changed."""
    counts: dict[str, int] = {}
    for line in lines:
        if (
            line
            and len(line) <= 80
            and line[-1] not in ".:;,"
            and not _heading(line, chapter)
            and not ITEM.match(line)
            and not BULLET.match(line)
        ):
            counts[_shape(line)] = counts.get(_shape(line), 0) + 1
    return {shape for shape, n in counts.items() if n >= 2}


def _next_letter(letter: str | None) -> str:
    return "a" if letter is None else chr(ord(letter) + 1)


def parse_policy(text: str, *, chapter: str = CHAPTER) -> list[Clause]:
    """The clauses of the policy, in document order. Raises PolicyError when there are none or an id repeats."""
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    lines = [line.strip() for line in text.split("\n")]
    furniture = _furniture(lines, chapter)

    clauses: list[dict] = []
    seen: dict[str, int] = {}
    section: dict | None = None
    item: dict | None = None  # the item whose wrapped lines are still arriving
    last_letter: str | None = None

    def open_clause(clause_id: str, number: int, **values) -> dict:
        if clause_id in seen:
            raise PolicyError(f"clause {clause_id} appears twice: lines {seen[clause_id]} and {number}.")
        seen[clause_id] = number
        clause = {"id": clause_id, "line": number, "parts": [], **values}
        clauses.append(clause)
        return clause

    for number, line in enumerate(lines, start=1):
        if _shape(line) in furniture or EDITORIAL.match(line):
            continue
        for header in furniture:  # a header glued to the end of a paragraph by the page break
            if "#" not in header and line.endswith(" " + header):
                line = line[: -len(header) - 1].rstrip()
        if not line:
            item = None
            continue
        heading = _heading(line, chapter)
        if heading:
            clause_id, title, tail = heading
            section = open_clause(clause_id, number, kind="section", title=title, parent=None)
            if tail:
                section["parts"].append(tail)
            item, last_letter = None, None
            continue
        if section is None:
            continue  # the document's title and anything else before the first section
        lettered = ITEM.match(line)
        if lettered:
            raw = lettered.group("letter")
            expected = _next_letter(last_letter)
            # A capital I where the list expects l is the scanner's reading of "(l)" (385.7 has "(I) Thank yous").
            letter = "l" if raw == "I" and expected == "l" else raw.lower()
            item = open_clause(f"{section['id']}({letter})", number, kind="item", title="", parent=section["id"])
            item["parts"].append(lettered.group("text"))
            last_letter = letter
            continue
        if item is not None and not BULLET.match(line):
            item["parts"].append(line)  # an item wrapped onto the next line
            continue
        item = None
        section["parts"].append(line)

    if not clauses:
        raise PolicyError(
            f"no clauses of policy {chapter} found: expected numbered headings such as "
            f'"{chapter}.3 AUTHORIZED USERS" at the start of a line.'
        )
    return [
        Clause(
            id=c["id"],
            kind=c["kind"],
            title=c["title"],
            text=" ".join(" ".join(c["parts"]).split()),
            line=c["line"],
            parent=c["parent"],
        )
        for c in clauses
    ]


def read_policy(path: Path | str, *, chapter: str = CHAPTER) -> list[Clause]:
    path = Path(path)
    if not path.exists():
        raise PolicyError(f"{path}: no such file.")
    if not path.is_file():
        raise PolicyError(f"{path}: not a file.")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PolicyError(f"{path}: not UTF-8 text (byte {error.start + 1}).")
    try:
        return parse_policy(text, chapter=chapter)
    except PolicyError as error:
        raise PolicyError(f"{path}: {error}")


def _clause_value(value, chapter: str = CHAPTER) -> str | None:
    """A string that is, as a whole, a clause id of the chapter ("385.7 (a)" with a space counts as "385.7(a)");
    other dotted numbers ("0.01", "2.4.4") are not citations."""
    if not isinstance(value, str):
        return None
    compact = re.sub(r"\s+", "", value)
    return compact if CLAUSE_ID.fullmatch(compact) and compact.startswith(chapter + ".") else None


# Controls -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Control:
    clause: str
    module: str
    function: str  # the enclosing function or class, dotted; empty at module level
    line: int
    path: str

    def __str__(self) -> str:
        return f"{self.module}:{self.function} ({self.line})" if self.function else f"{self.module}:{self.line}"


def _python_files(root: Path, top: str) -> Iterator[Path]:
    base = root / top
    if not base.is_dir():
        return
    for path in sorted(base.rglob("*.py")):
        parts = path.relative_to(root).parts
        if any(part in SKIPPED_DIRS for part in parts[:-1]):
            continue
        yield path


def _parse(path: Path, root: Path, problems: list[str]) -> ast.Module | None:
    try:
        return ast.parse(path.read_bytes(), filename=str(path))
    except (SyntaxError, ValueError) as error:
        # A file someone is halfway through editing must not stop the matrix; it is named in the warnings.
        where = f"{path.relative_to(root)}:{getattr(error, 'lineno', '') or ''}".rstrip(":")
        problems.append(f"{where}: not read ({error.__class__.__name__}: {getattr(error, 'msg', error)}).")
        return None


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


CONSTANT_NAME = re.compile(r"[A-Z][A-Z0-9_]*")


class _Module:
    """One module's string constants and what its imported names stand for, enough to read `section=SECTION`
    and `section=access.REGISTRY_SECTION` as the clause they hold."""

    def __init__(self, name: str, is_package: bool, tree: ast.Module):
        self.name = name
        self.package = name if is_package else name.rpartition(".")[0]
        self.tree = tree
        self.constants: dict[str, str] = {}
        self.imports: dict[str, str] = {}
        for stmt in tree.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                target, value = stmt.targets[0], stmt.value
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                target, value = stmt.target, stmt.value
            elif isinstance(stmt, ast.Import):
                for alias in stmt.names:
                    if alias.asname:
                        self.imports[alias.asname] = alias.name
                    else:
                        head = alias.name.partition(".")[0]
                        self.imports[head] = head
                continue
            elif isinstance(stmt, ast.ImportFrom):
                base = self._absolute(stmt.module, stmt.level)
                for alias in stmt.names:
                    self.imports[alias.asname or alias.name] = f"{base}.{alias.name}" if base else alias.name
                continue
            else:
                continue
            if isinstance(target, ast.Name) and isinstance(value, ast.Constant) and isinstance(value.value, str):
                self.constants[target.id] = value.value

    def _absolute(self, module: str | None, level: int) -> str:
        if not level:
            return module or ""
        base = self.package.split(".") if self.package else []
        base = base[: len(base) - (level - 1)] if level > 1 else base
        return ".".join([*base, module] if module else base)


class _Resolver:
    def __init__(self, modules: dict[str, _Module]):
        self.modules = modules

    def constant(self, dotted: str) -> str | None:
        module, _, name = dotted.rpartition(".")
        found = self.modules.get(module)
        return found.constants.get(name) if found else None

    def value(self, node: ast.AST, module: _Module) -> str | None:
        if isinstance(node, ast.Constant):
            return node.value if isinstance(node.value, str) else None
        if isinstance(node, ast.Name) and CONSTANT_NAME.fullmatch(node.id):
            if node.id in module.constants:
                return module.constants[node.id]
            imported = module.imports.get(node.id)
            return self.constant(imported) if imported else None
        if isinstance(node, ast.Attribute) and CONSTANT_NAME.fullmatch(node.attr):
            chain = []
            head = node.value
            while isinstance(head, ast.Attribute):
                chain.append(head.attr)
                head = head.value
            if isinstance(head, ast.Name) and head.id in module.imports:
                dotted = ".".join([module.imports[head.id], *reversed(chain)])
                return self.constant(f"{dotted}.{node.attr}")
        return None


def _callee(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


class _ControlFinder(ast.NodeVisitor):
    def __init__(self, module: _Module, path: str, resolver: _Resolver):
        self.module, self.path, self.resolver = module, path, resolver
        self.scope: list[str] = []
        self.decorators: set[int] = set()
        self.found: list[Control] = []

    def _record(self, value: str | None, line: int, function: str) -> None:
        clause = _clause_value(value)
        if clause:
            self.found.append(Control(clause, self.module.name, function, line, self.path))

    def _definition(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        qualname = ".".join([*self.scope, node.name])
        for decorator in node.decorator_list:
            if isinstance(decorator, ast.Call) and _callee(decorator.func) == "enforces":
                self.decorators.add(id(decorator))
                for arg in decorator.args:
                    self._record(self.resolver.value(arg, self.module), node.lineno, qualname)
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _definition

    def visit_Call(self, node: ast.Call) -> None:
        if id(node) not in self.decorators:
            function = ".".join(self.scope)
            for arg in [*node.args, *(k.value for k in node.keywords if k.arg)]:
                self._record(self.resolver.value(arg, self.module), arg.lineno, function)
        self.generic_visit(node)


def _fingerprint(files: list[Path]) -> tuple:
    stats = []
    for path in files:
        try:
            st = path.stat()
        except OSError:
            continue
        stats.append((str(path), st.st_mtime_ns, st.st_size))
    return tuple(stats)


# Scans by the files' names, times and sizes: a second matrix in the same process (a test, a page) re-reads
# only when a file changed.
_scans: dict[tuple, tuple[list, list[str]]] = {}


def _memo(kind: str, files: list[Path], scan) -> tuple[list, list[str]]:
    key = (kind, _fingerprint(files))
    if key not in _scans:
        if len(_scans) > 8:
            _scans.clear()
        _scans[key] = scan(files)
    found, problems = _scans[key]
    return list(found), list(problems)


def discover_controls(root: Path, apps: Iterable[str] = APPS) -> tuple[list[Control], list[str]]:
    """Every place in the apps' source that cites a clause as data, and the files that could not be read."""
    files = [
        path
        for app in apps
        for path in _python_files(root, app)
        if not (path.name.startswith("test_") or path.name == "conftest.py")
    ]
    return _memo("controls", files, lambda files: _scan_controls(root, files))


def _scan_controls(root: Path, files: list[Path]) -> tuple[list[Control], list[str]]:
    problems: list[str] = []
    modules: dict[str, _Module] = {}
    paths: dict[str, str] = {}
    for path in files:
        tree = _parse(path, root, problems)
        if tree is None:
            continue
        name = _module_name(path, root)
        modules[name] = _Module(name, path.name == "__init__.py", tree)
        paths[name] = path.relative_to(root).as_posix()
    resolver = _Resolver(modules)
    found: set[Control] = set()
    for name, module in modules.items():
        finder = _ControlFinder(module, paths[name], resolver)
        finder.visit(module.tree)
        found.update(finder.found)
    return sorted(found, key=lambda c: (c.clause, c.module, c.line)), problems


# Tests ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """A test (a function, a class of them, or a whole module) marked `pytest.mark.policy(clause)`."""

    clause: str
    nodeid: str
    line: int

    def __str__(self) -> str:
        return self.nodeid


def _policy_marks(node: ast.AST | None) -> list[ast.Call]:
    """The `pytest.mark.policy(...)` calls in a decorator or a `pytestmark` value (one mark or a list)."""
    if isinstance(node, ast.List | ast.Tuple):
        return [mark for element in node.elts for mark in _policy_marks(element)]
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "policy"
        and _callee(node.func.value) == "mark"
    ):
        return [node]
    return []


def _pytestmark_marks(body: list[ast.stmt]) -> list[ast.Call]:
    marks = []
    for stmt in body:
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in stmt.targets):
            marks += _policy_marks(stmt.value)
    return marks


def discover_tests(root: Path, tests_dir: str = TESTS_DIR) -> tuple[list[Evidence], list[str]]:
    """Every test marked with a clause, and marks pytest would not apply to a test (on a fixture or helper)."""
    base = root / tests_dir
    if not base.is_dir():
        return [], [f"{tests_dir}/ is not in this installation: no test can be shown for any clause."]
    files = [
        path
        for path in sorted(base.rglob("*.py"))
        if "__pycache__" not in path.parts and (path.name.startswith("test_") or path.name.endswith("_test.py"))
    ]
    return _memo("tests", files, lambda files: _scan_tests(root, files))


def _scan_tests(root: Path, files: list[Path]) -> tuple[list[Evidence], list[str]]:
    problems: list[str] = []
    found: list[Evidence] = []
    for path in files:
        tree = _parse(path, root, problems)
        if tree is None:
            continue
        rel = path.relative_to(root).as_posix()

        def record(marks: list[ast.Call], nodeid: str, line: int, rel: str = rel) -> None:
            for mark in marks:
                for arg in mark.args:
                    clause = _clause_value(arg.value) if isinstance(arg, ast.Constant) else None
                    if clause:
                        found.append(Evidence(clause, nodeid, line))
                    else:
                        problems.append(f"{rel}:{arg.lineno}: pytest.mark.policy takes clause ids as string literals.")

        def walk(body: list[ast.stmt], prefix: str, collected: bool, rel: str = rel) -> None:
            for stmt in body:
                if isinstance(stmt, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                    is_class = isinstance(stmt, ast.ClassDef)
                    marks = [m for d in stmt.decorator_list for m in _policy_marks(d)]
                    if is_class:
                        marks += _pytestmark_marks(stmt.body)
                    is_test = collected and stmt.name.startswith("Test" if is_class else "test")
                    if marks and not is_test:
                        problems.append(f"{rel}:{stmt.lineno}: policy mark on {stmt.name}, which is not a test.")
                    elif marks:
                        record(marks, f"{prefix}::{stmt.name}", stmt.lineno)
                    if is_class:
                        walk(stmt.body, f"{prefix}::{stmt.name}", is_test)

        record(_pytestmark_marks(tree.body), rel, 1)
        walk(tree.body, rel, True)
    return found, problems


# Declarations ---------------------------------------------------------------------------------------------------


def _load_declarations(path: Path | str, needs: str) -> dict[str, str]:
    """Clause id -> the declaration's text, from a file of `"385.x" = "text"` lines; `needs` says in the error
    what the text must give."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise PolicyError(f"{path}: {error}")
    declared = {}
    for key, text in data.items():
        clause = _clause_value(key)
        if not clause:
            raise PolicyError(f"{path}: {key!r} is not a clause id such as 385.1 or 385.5(c).")
        if not isinstance(text, str) or not text.strip():
            raise PolicyError(f"{path}: {key} needs {needs}, as a string.")
        declared[clause] = " ".join(text.split())
    return declared


def load_not_enforceable(path: Path | str = NOT_ENFORCEABLE) -> dict[str, str]:
    """Clause id -> why software cannot enforce it."""
    return _load_declarations(path, "the reason software cannot enforce it")


def load_planned(path: Path | str = PLANNED) -> dict[str, str]:
    """Clause id -> what will enforce it, for clauses software can enforce that are not built yet."""
    return _load_declarations(path, "what will enforce it")


# The matrix -----------------------------------------------------------------------------------------------------


class Status(enum.StrEnum):
    COVERED = "covered"
    CONTROL_ONLY = "control_only"
    TEST_ONLY = "test_only"
    NOT_ENFORCEABLE = "not_enforceable"
    PLANNED = "planned"
    UNCOVERED = "uncovered"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").upper()

    @property
    def partial(self) -> bool:
        return self in (Status.CONTROL_ONLY, Status.TEST_ONLY)

    @property
    def tone(self) -> str:
        """The page's style for it: settled clauses read as ok, the rest as work to do."""
        return "ok" if self in (Status.COVERED, Status.NOT_ENFORCEABLE) else "warn"


@dataclass
class Row:
    clause: Clause
    status: Status
    controls: list[Control]
    tests: list[Evidence]
    reason: str = ""  # why software cannot enforce it, when declared
    change: str = ""  # "new" or "changed" against the shipped text, when compared
    planned: str = ""  # what will enforce it, when declared planned


@dataclass
class Changes:
    new: list[Clause]
    changed: list[Clause]
    removed: list[Clause]


@dataclass
class Matrix:
    rows: list[Row]
    warnings: list[str] = field(default_factory=list)
    changes: Changes | None = None

    def with_status(self, *statuses: Status) -> list[Row]:
        return [row for row in self.rows if row.status in statuses]

    @property
    def uncovered(self) -> list[Row]:
        return self.with_status(Status.UNCOVERED)

    @property
    def planned(self) -> list[Row]:
        """Clauses software can enforce that are not built yet: not covered, and not a failure unless asked."""
        return self.with_status(Status.PLANNED)

    @property
    def counts(self) -> dict[Status, int]:
        return {status: len(self.with_status(status)) for status in Status}

    @property
    def uncovered_changes(self) -> list[Row]:
        """New or changed clauses that nothing covers: the work a revision of the policy brings."""
        return [row for row in self.uncovered if row.change]


def compare(shipped: list[Clause], revised: list[Clause]) -> Changes:
    before = {c.id: c for c in shipped}
    after = {c.id for c in revised}
    return Changes(
        new=[c for c in revised if c.id not in before],
        changed=[c for c in revised if c.id in before and c.wording != before[c.id].wording],
        removed=[c for c in shipped if c.id not in after],
    )


def matrix(
    clauses: list[Clause],
    controls: list[Control],
    tests: list[Evidence],
    not_enforceable: dict[str, str],
    *,
    changes: Changes | None = None,
    problems: Iterable[str] = (),
    planned: dict[str, str] | None = None,
) -> Matrix:
    planned = planned or {}
    ids = {c.id for c in clauses}
    by_control: dict[str, list[Control]] = {}
    for control in controls:
        by_control.setdefault(control.clause, []).append(control)
    by_test: dict[str, list[Evidence]] = {}
    for test in tests:
        by_test.setdefault(test.clause, []).append(test)
    change_of = {}
    if changes:
        change_of = {c.id: "new" for c in changes.new} | {c.id: "changed" for c in changes.changed}

    rows, warnings = [], list(problems)
    for clause in clauses:
        cited, shown = by_control.get(clause.id, []), by_test.get(clause.id, [])
        reason = not_enforceable.get(clause.id, "")
        plan = planned.get(clause.id, "")
        if cited and shown:
            status = Status.COVERED
        elif cited:
            status = Status.CONTROL_ONLY
        elif shown:
            status = Status.TEST_ONLY
        elif reason:
            status = Status.NOT_ENFORCEABLE
        elif plan:
            status = Status.PLANNED
        else:
            status = Status.UNCOVERED
        if reason and (cited or shown):
            warnings.append(
                f"{clause.id} is declared not enforceable, yet code or tests cite it: "
                "remove the declaration or the citation."
            )
        if reason and plan:
            warnings.append(
                f"{clause.id} is declared both not enforceable and planned: software either can enforce it or "
                "cannot, so keep one of the two."
            )
        if plan and cited and shown:
            warnings.append(
                f"{clause.id} is declared planned, yet it has a control and a test: the planned entry is stale, "
                "remove it."
            )
        rows.append(Row(clause, status, cited, shown, reason, change_of.get(clause.id, ""), plan))

    for row in rows:
        if row.status is Status.CONTROL_ONLY:
            warnings.append(f'{row.clause.id} is CONTROL ONLY: no test carries pytest.mark.policy("{row.clause.id}").')
        elif row.status is Status.TEST_ONLY:
            warnings.append(f"{row.clause.id} is TEST ONLY: no control in the code cites it.")
        if row.change == "changed" and row.status is Status.NOT_ENFORCEABLE:
            warnings.append(f"{row.clause.id} changed: check that software still cannot enforce it.")
        elif row.change == "changed" and row.status is Status.PLANNED:
            warnings.append(f"{row.clause.id} changed: check that what is planned still matches its wording.")
        elif row.change == "changed" and row.status is not Status.UNCOVERED:
            warnings.append(f"{row.clause.id} changed: check that its controls and tests still match its wording.")
    for clause in sorted({c.clause for c in controls} - ids):
        where = ", ".join(str(c) for c in by_control[clause])
        warnings.append(f"{clause} is cited in the code but is not a clause of the policy: {where}.")
    for clause in sorted({t.clause for t in tests} - ids):
        where = ", ".join(str(t) for t in by_test[clause])
        warnings.append(f"{clause} is marked on tests but is not a clause of the policy: {where}.")
    for clause in sorted(set(not_enforceable) - ids):
        warnings.append(f"{clause} is declared not enforceable but is not a clause of the policy.")
    for clause in sorted(set(planned) - ids):
        warnings.append(f"{clause} is declared planned but is not a clause of the policy.")
    return Matrix(rows, warnings, changes)


def build(
    revised: list[Clause] | None = None,
    *,
    root: Path | None = None,
    not_enforceable: Path | str = NOT_ENFORCEABLE,
    planned: Path | str = PLANNED,
) -> Matrix:
    """The matrix for the shipped text, or for `revised` clauses (`read_policy`) compared with the shipped text."""
    if root is None:
        from django.conf import settings

        root = Path(settings.BASE_DIR)
    shipped = read_policy(SHIPPED_TEXT)
    controls, control_problems = discover_controls(root)
    tests, test_problems = discover_tests(root)
    return matrix(
        revised if revised is not None else shipped,
        controls,
        tests,
        load_not_enforceable(not_enforceable),
        changes=compare(shipped, revised) if revised is not None else None,
        problems=[*control_problems, *test_problems],
        planned=load_planned(planned),
    )


@lru_cache(maxsize=1)
def shipped_matrix() -> Matrix:
    """The page's matrix, built once per process: the source it reads only changes with a deployment."""
    return build()
