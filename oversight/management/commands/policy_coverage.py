"""Print the policy coverage matrix: every clause of policy 385 with the controls that enforce it and the tests that
show it, found in the source. Exits 1 when a clause is UNCOVERED (no control, no test, not declared not
enforceable or planned); CONTROL ONLY and TEST ONLY clauses are listed as warnings and do not fail, so a control can
land before its test. Bad input exits 2.

A clause declared in oversight/policy/planned.toml (software can enforce it; it is not built yet) is PLANNED: listed
in a block of its own on every run, never counted as covered, and not a failure by default, so the work can be
scheduled without turning CI red. With --strict a PLANNED clause exits 1 as well. A planned clause that has a
control and a test is reported as a stale declaration.

With --policy FILE (a revised text of the policy) the matrix is for the revised text, and the clauses that are new,
changed or removed against the shipped text are listed, with the new or changed ones nothing covers yet.
"""

import csv
import json

from django.core.management.base import BaseCommand, CommandError

from oversight import coverage
from oversight.coverage import Matrix, PolicyError, Status
from oversight.policy import SHIPPED_TEXT

FORMATS = ("text", "json", "csv")
SHOWN = 3  # controls and tests listed per clause at normal verbosity; -v 2 lists them all


class Command(BaseCommand):
    help = (
        "Show which clauses of policy 385 have a control in the code and a test; exit 1 if any is uncovered "
        "(or, with --strict, planned and not yet built)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--policy",
            metavar="FILE",
            help="a revised text of the policy: measure it instead, and compare it with the shipped text",
        )
        parser.add_argument(
            "--format", dest="output_format", choices=FORMATS, default="text", help="text (default), json or csv"
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="exit 1 while any clause is PLANNED (declared in planned.toml, not built yet), as for UNCOVERED",
        )

    def handle(self, *args, policy=None, output_format="text", strict=False, **options):
        revised = None
        if policy is not None:
            try:
                revised = coverage.read_policy(policy)
            except PolicyError as error:
                raise CommandError(f"--policy {error}", returncode=2)
        try:
            result = coverage.build(revised)
        except PolicyError as error:
            # The shipped text or the not-enforceable declarations: a fault in the release, named by file.
            raise CommandError(str(error), returncode=2)

        getattr(self, f"_write_{output_format}")(result, verbosity=options.get("verbosity", 1))
        failures = []
        if result.uncovered:
            ids = ", ".join(row.clause.id for row in result.uncovered)
            failures.append(f"{len(result.uncovered)} clause(s) UNCOVERED: {ids}")
        if strict and result.planned:
            ids = ", ".join(row.clause.id for row in result.planned)
            failures.append(f"{len(result.planned)} clause(s) PLANNED, not yet built (--strict): {ids}")
        if failures:
            raise CommandError("; ".join(failures), returncode=1)

    # Text --------------------------------------------------------------------------------------------------------

    def _write_text(self, result: Matrix, *, verbosity: int) -> None:
        out = self.stdout.write
        counts = result.counts
        total = len(result.rows)
        summary = ", ".join(f"{counts[s]} {s.label.lower()}" for s in Status if counts[s])
        out(f"Policy 385 coverage: {total} clauses — {summary}")
        out("")
        width = max(len(row.clause.id) for row in result.rows) + 2
        for row in result.rows:
            style = self.style.SUCCESS if row.status in (Status.COVERED, Status.NOT_ENFORCEABLE) else self.style.WARNING
            if row.status is Status.UNCOVERED:
                style = self.style.ERROR
            change = f" [{row.change}]" if row.change else ""
            heading = row.clause.title or row.clause.excerpt
            out(f"{row.clause.id:<{width}}{style(f'{row.status.label:<17}')}{heading}{change}")
            if verbosity < 1:
                continue
            indent = " " * width
            if row.reason:
                out(f"{indent}reason: {row.reason}")
            if row.planned:
                out(f"{indent}planned: {row.planned}")
            for name, found in (("controls", row.controls), ("tests", row.tests)):
                if not found:
                    continue
                if verbosity >= 2:
                    out(f"{indent}{name} ({len(found)}):")
                    for item in found:
                        out(f"{indent}  {item}")
                else:
                    shown = ", ".join(str(item) for item in found[:SHOWN])
                    more = f" (+{len(found) - SHOWN} more, -v 2 lists them)" if len(found) > SHOWN else ""
                    out(f"{indent}{name} ({len(found)}): {shown}{more}")

        if result.changes is not None:
            changes = result.changes
            out("")
            out(f"Compared with the shipped text ({SHIPPED_TEXT.name}):")
            status = {row.clause.id: row.status.label for row in result.rows}
            for name, clauses in (("new", changes.new), ("changed", changes.changed)):
                listed = ", ".join(f"{c.id} ({status[c.id]})" for c in clauses) or "none"
                out(f"  {name}: {listed}")
            out(f"  removed: {', '.join(c.id for c in changes.removed) or 'none'}")
            uncovered = ", ".join(row.clause.id for row in result.uncovered_changes) or "none"
            out(f"  new or changed and UNCOVERED: {uncovered}")

        if result.planned:
            # On every run, whatever the verbosity: planned work is not done, and must not fade from view.
            out("")
            out(
                self.style.WARNING(
                    f"Planned, not yet built ({len(result.planned)}): not counted as covered; --strict fails on them."
                )
            )
            for row in result.planned:
                out(f"  {row.clause.id}: {row.planned}")
        if result.warnings:
            out("")
            out(self.style.WARNING(f"Warnings ({len(result.warnings)}):"))
            for warning in result.warnings:
                out(f"  {warning}")
        if not result.uncovered and result.planned:
            out("")
            out(
                self.style.WARNING(
                    f"No clause is UNCOVERED; {len(result.planned)} PLANNED and not yet built "
                    f"({', '.join(row.clause.id for row in result.planned)})."
                )
            )
        elif not result.uncovered:
            out("")
            out(self.style.SUCCESS("Every clause is covered, partly covered or declared not enforceable."))

    # Machine-readable --------------------------------------------------------------------------------------------

    def _write_json(self, result: Matrix, *, verbosity: int) -> None:
        data = {
            "summary": {status.value: n for status, n in result.counts.items()},
            "clauses": [
                {
                    "id": row.clause.id,
                    "kind": row.clause.kind,
                    "title": row.clause.title,
                    "excerpt": row.clause.excerpt,
                    "status": row.status.value,
                    "controls": [
                        {"module": c.module, "function": c.function, "line": c.line, "path": c.path, "label": str(c)}
                        for c in row.controls
                    ],
                    "tests": [t.nodeid for t in row.tests],
                    "reason": row.reason,
                    "planned": row.planned,
                    "change": row.change,
                }
                for row in result.rows
            ],
            "uncovered": [row.clause.id for row in result.uncovered],
            "planned": [{"id": row.clause.id, "enforced_by": row.planned} for row in result.planned],
            "warnings": result.warnings,
        }
        if result.changes is not None:
            data["changes"] = {
                "new": [c.id for c in result.changes.new],
                "changed": [c.id for c in result.changes.changed],
                "removed": [c.id for c in result.changes.removed],
                "uncovered": [row.clause.id for row in result.uncovered_changes],
            }
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))

    def _write_csv(self, result: Matrix, *, verbosity: int) -> None:
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(["clause", "status", "change", "excerpt", "controls", "tests", "reason", "planned"])
        for row in result.rows:
            writer.writerow(
                [
                    row.clause.id,
                    row.status.label,
                    row.change,
                    row.clause.excerpt,
                    "; ".join(str(c) for c in row.controls),
                    "; ".join(str(t) for t in row.tests),
                    row.reason,
                    row.planned,
                ]
            )
