"""Where code enforces a clause of the written policy but holds no section id to say so.

Most controls already carry their clause as data (`PolicyViolation("385.3", ...)`, `section="385.5(c)"`), and the
coverage matrix (`manage.py policy_coverage`) finds them there. A control that refuses nothing by itself (a choice
list, a classification step) is marked instead::

    @enforces("385.7(c)")
    def determine_series(...): ...

The decorator only records the clauses on the object and returns it unchanged, so it costs nothing at run time;
the matrix reads the decorator from the source, so the clauses must be written out as string literals.
"""

import re

# A clause id: the chapter, its section numbers, and at most one lettered item: 385.3, 385.5.2(b), 385.7(q).
CLAUSE_ID = re.compile(r"\d+(?:\.\d+)+(?:\([a-z]\))?")


def enforces(*clauses: str):
    """Mark a function or class as a control for `clauses`; a malformed id fails at import, not in the matrix."""
    if not clauses:
        raise ValueError('enforces() needs at least one clause id, e.g. enforces("385.3").')
    for clause in clauses:
        if not isinstance(clause, str) or not CLAUSE_ID.fullmatch(clause):
            raise ValueError(f"enforces(): {clause!r} is not a clause id such as 385.3 or 385.5(c).")

    def mark(obj):
        obj.__policy_clauses__ = (*getattr(obj, "__policy_clauses__", ()), *clauses)
        return obj

    return mark
