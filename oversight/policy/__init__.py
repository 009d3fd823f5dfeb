"""The text of policy 385 as the department adopted it, and the clauses of it that software cannot enforce.

The coverage matrix is measured against this copy, so a revised policy shows up as a diff against it
(`manage.py policy_coverage --policy revised.txt`) before the copy is replaced.
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent

SHIPPED_TEXT = HERE / "policy-385.txt"
NOT_ENFORCEABLE = HERE / "not_enforceable.toml"
