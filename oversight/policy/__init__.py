"""The text of policy 385 as the department adopted it, the clauses of it that software cannot enforce, and the
clauses software can enforce that are not built yet.

The coverage matrix is measured against this copy, so a revised policy shows up as a diff against it
(`manage.py policy_coverage --policy revised.txt`) before the copy is replaced.
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent

SHIPPED_TEXT = HERE / "policy-385.txt"
NOT_ENFORCEABLE = HERE / "not_enforceable.toml"
PLANNED = HERE / "planned.toml"
