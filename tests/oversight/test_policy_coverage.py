"""The policy coverage matrix: the shipped text of 385 parsed into its clauses, controls and tests found in the
source, a revised text compared with the shipped one, and the page any member may read."""

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from core.policy import enforces
from oversight import coverage
from oversight.coverage import Clause, Control, Evidence, Status
from oversight.policy import SHIPPED_TEXT

ROOT = Path(settings.BASE_DIR)
SHIPPED = SHIPPED_TEXT.read_text(encoding="utf-8")


def ids(clauses):
    return [c.id for c in clauses]


def run(*args):
    """The command as call_command runs it: (stdout, the CommandError it ended with or None)."""
    out = io.StringIO()
    try:
        call_command("policy_coverage", *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


@pytest.fixture
def revised(tmp_path):
    def write(text):
        path = tmp_path / "policy-385-revised.txt"
        path.write_text(text, encoding="utf-8")
        return path

    return write


# Parsing ------------------------------------------------------------------------------------------------------


class TestShippedText:
    clauses = coverage.read_policy(SHIPPED_TEXT)
    by_id = {c.id: c for c in clauses}

    def test_every_section_and_lettered_item_is_a_clause_in_document_order(self):
        assert len(self.clauses) == 48
        assert ids(self.clauses)[:6] == ["385.1", "385.1.1", "385.2", "385.3", "385.4", "385.4(a)"]
        for clause_id in ("385.3", "385.4(i)", "385.4.1", "385.5(g)", "385.5.1(a)", "385.5.2(b)", "385.5.4(d)"):
            assert clause_id in self.by_id, clause_id
        assert ids(self.clauses)[-3:] == ["385.7(p)", "385.7(q)", "385.8"]
        counts = {kind: sum(c.kind == kind for c in self.clauses) for kind in ("section", "item")}
        assert counts == {"section": 15, "item": 33}

    def test_headings_carry_their_titles_and_items_their_parent(self):
        assert self.by_id["385.5.2(b)"].title == "DEPARTMENT-SANCTIONED USE"
        # The heading line repeats its title in mixed case; that is not body text.
        notifications = self.by_id["385.5.4(d)"]
        assert notifications.title == "SOCIAL MEDIA NOTIFICATIONS & INVESTIGATIONS"
        assert notifications.text.startswith("Social media can be used to conduct investigations")
        assert self.by_id["385.4(c)"].parent == "385.4" and self.by_id["385.4(c)"].kind == "item"
        assert self.by_id["385.4(c)"].text == "Investigative requests for information."

    def test_the_misprinted_l_in_385_7_is_read_as_l(self):
        assert self.by_id["385.7(l)"].text == "Thank yous"
        assert self.by_id["385.7(i)"].text == "Supply inventories"

    def test_letters_inside_a_sentence_are_not_items(self):
        assert not [c for c in self.clauses if c.parent == "385.5.3(c)"]
        assert "(a) missing persons; (b) wanted persons" in self.by_id["385.5.3(c)"].text

    def test_page_headers_and_editorial_notes_are_not_policy_text(self):
        for clause in self.clauses:
            for furniture in ("Indio PD Policy Manual", "Department Use of Social Media", "Best Practice"):
                assert furniture not in clause.text, (clause.id, furniture)
        assert self.by_id["385.5.1"].text.endswith("to discourage inflammatory language.")

    def test_a_section_keeps_its_prose_but_not_its_items(self):
        prohibited = self.by_id["385.5"].text
        assert prohibited.startswith("Content that is prohibited from posting includes")
        assert "shall promptly report such content to a supervisor" in prohibited
        assert "abusive, discriminatory" not in prohibited

    def test_a_revision_in_another_layout_parses_the_same_way(self):
        text = (
            "Department Use of Social Media\r\n\r\n385.3 Authorized Users\r\n\r\nOnly members authorized may post.\r\n"
            "Page 1\r\n\r\n385.5 PROHIBITED CONTENT\r\n\r\n- (A) Content that is abusive,\r\n  discriminatory or explicit.\r\n"
            "- (b) Private data.\r\n\r\nPage 2\r\n\r\n385.9 WEB 2.0 ACCOUNTS\r\nText of the new section.\r\n"
        )
        clauses = {c.id: c for c in coverage.parse_policy(text)}
        assert list(clauses) == ["385.3", "385.5", "385.5(a)", "385.5(b)", "385.9"]
        assert clauses["385.3"].title == "Authorized Users"
        assert clauses["385.3"].text == "Only members authorized may post."  # the page footer is not text
        assert clauses["385.5(a)"].text == "Content that is abusive, discriminatory or explicit."
        assert clauses["385.9"].title == "WEB 2.0 ACCOUNTS" and clauses["385.9"].text == "Text of the new section."

    def test_a_repeated_clause_id_or_a_text_without_clauses_is_refused(self):
        with pytest.raises(coverage.PolicyError, match=r"clause 385.3 appears twice: lines 1 and 3"):
            coverage.parse_policy("385.3 AUTHORIZED USERS\n\n385.3 AUTHORIZED USERS\n")
        with pytest.raises(coverage.PolicyError, match="no clauses of policy 385 found"):
            coverage.parse_policy("Department Use of Social Media\n\nNothing numbered here.\n")


# Discovery ----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def found():
    controls, control_problems = coverage.discover_controls(ROOT)
    tests, test_problems = coverage.discover_tests(ROOT)
    return controls, tests


def test_controls_for_385_3_are_found_in_the_code(found):
    controls, _ = found
    cited = {str(c) for c in controls if c.clause == "385.3"}
    assert any(c.startswith("members.permissions:require_chief (") for c in cited), cited
    # The lifecycle table cites the section at module level, one Transition per row.
    assert any(c.startswith("posts.workflow:") and "(" not in c for c in cited), cited


def test_a_section_held_in_a_constant_of_another_module_is_read(found):
    controls, _ = found
    registry = {(c.module, c.function) for c in controls if c.clause == "385.5(c)"}
    # `section=access.REGISTRY_SECTION`, where access.py holds REGISTRY_SECTION = "385.5(c)".
    assert ("moderation.screening.services", "add_confidential_term") in registry
    privacy = {c.module for c in controls if c.clause == "385.5(b)"}
    assert "moderation.screening.rules.personal" in privacy  # section=SECTION within the module


def test_tests_marked_for_385_3_are_found(found):
    _, tests = found
    marked = {t.nodeid for t in tests if t.clause == "385.3"}
    assert "tests/members/test_permissions.py::test_trained_but_unauthorized_member_is_refused_with_385_3" in marked
    assert "tests/moderation/test_workflow.py::TestApprove" in marked
    assert "tests/posts/test_incident_command.py" in {t.nodeid for t in tests if t.clause == "385.4.1"}


def test_discovery_reads_every_form_a_citation_takes(tmp_path):
    (tmp_path / "app" / "migrations").mkdir(parents=True)
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "rules.py").write_text(
        '"""Screens for 385.9(b) (a docstring is not a control)."""\n'
        'SECTION = "385.9(a)"\n'
        "\n"
        "def flag(text):\n"
        "    return Finding(text, section=SECTION)\n"
    )
    (tmp_path / "app" / "services.py").write_text(
        "from core.policy import enforces\n"
        "from . import rules\n"
        "\n"
        "class Refusals:\n"
        "    def refuse(self):\n"
        '        raise PolicyViolation("385.9", "No.")\n'
        "\n"
        '@enforces("385.9(c)", "385.9(d)")\n'
        "def classify(record):\n"
        "    return Reason(rules.SECTION, 'code', 'message', help_text='385.9(e) applies')\n"
        "\n"
        'PRICE = Decimal("0.01")\n'
    )
    (tmp_path / "app" / "migrations" / "0001_initial.py").write_text('run("385.9(f)")\n')
    (tmp_path / "app" / "broken.py").write_text("def half(:\n")

    controls, problems = coverage.discover_controls(tmp_path, apps=["app"])
    assert sorted(str(c) for c in controls) == [
        "app.rules:flag (5)",
        "app.services:Refusals.refuse (6)",
        "app.services:classify (10)",
        "app.services:classify (9)",
        "app.services:classify (9)",
    ]
    assert sorted(c.clause for c in controls) == ["385.9", "385.9(a)", "385.9(a)", "385.9(c)", "385.9(d)"]
    # A file halfway through an edit is named, and does not stop the rest of the scan.
    assert len(problems) == 1 and problems[0].startswith("app/broken.py:1: not read (SyntaxError")


def test_test_discovery_reads_module_class_and_function_marks(tmp_path):
    (tmp_path / "tests" / "area").mkdir(parents=True)
    (tmp_path / "tests" / "area" / "test_things.py").write_text(
        "import pytest\n"
        'pytestmark = [pytest.mark.django_db, pytest.mark.policy("385.9")]\n'
        "\n"
        '@pytest.mark.policy("385.9(a)")\n'
        "class TestGroup:\n"
        '    @pytest.mark.policy("385.9(b)")\n'
        "    def test_one(self):\n"
        "        pass\n"
        "\n"
        '@pytest.mark.policy("385.9(c)")\n'
        "@pytest.mark.parametrize('x', [1])\n"
        "def test_two(x):\n"
        "    pass\n"
        "\n"
        "@pytest.fixture\n"
        '@pytest.mark.policy("385.9(d)")\n'
        "def thing():\n"
        "    return 1\n"
    )
    (tmp_path / "tests" / "area" / "helpers.py").write_text('@pytest.mark.policy("385.9(e)")\ndef test_x(): pass\n')
    tests, problems = coverage.discover_tests(tmp_path)
    assert sorted((t.clause, t.nodeid) for t in tests) == [
        ("385.9", "tests/area/test_things.py"),
        ("385.9(a)", "tests/area/test_things.py::TestGroup"),
        ("385.9(b)", "tests/area/test_things.py::TestGroup::test_one"),
        ("385.9(c)", "tests/area/test_things.py::test_two"),
    ]
    assert problems == ["tests/area/test_things.py:17: policy mark on thing, which is not a test."]


def test_enforces_returns_the_function_unchanged_and_refuses_a_malformed_id():
    def approve():
        return "approved"

    marked = enforces("385.3")(enforces("385.5(g)")(approve))
    assert marked is approve and marked() == "approved"
    assert approve.__policy_clauses__ == ("385.5(g)", "385.3")
    for bad in ("385", "385.5(cc)", "section 385.3", ""):
        with pytest.raises(ValueError, match="not a clause id"):
            enforces(bad)
    with pytest.raises(ValueError):
        enforces()


# Statuses -----------------------------------------------------------------------------------------------------


def test_statuses_and_a_bare_section_covering_only_itself():
    clauses = [
        Clause("385.9", "section", "NEW RULES", "Intro.", 1),
        Clause("385.9(a)", "item", "", "First.", 2, "385.9"),
        Clause("385.9(b)", "item", "", "Second.", 3, "385.9"),
        Clause("385.9(c)", "item", "", "Third.", 4, "385.9"),
        Clause("385.9(d)", "item", "", "Fourth.", 5, "385.9"),
    ]
    controls = [Control("385.9", "app.x", "f", 1, "app/x.py"), Control("385.9(a)", "app.x", "g", 2, "app/x.py")]
    tests = [Evidence("385.9", "tests/t.py::test_a", 1), Evidence("385.9(b)", "tests/t.py::test_b", 2)]
    result = coverage.matrix(clauses, controls, tests, {"385.9(c)": "Done on paper.", "385.1": "Purpose."})
    assert [row.status for row in result.rows] == [
        Status.COVERED,
        Status.CONTROL_ONLY,
        Status.TEST_ONLY,
        Status.NOT_ENFORCEABLE,
        Status.UNCOVERED,
    ]
    assert ids(row.clause for row in result.uncovered) == ["385.9(d)"]
    assert result.rows[3].reason == "Done on paper."
    assert "385.1 is declared not enforceable but is not a clause of the policy." in result.warnings
    assert any(w.startswith("385.9(a) is CONTROL ONLY") for w in result.warnings)
    assert any(w.startswith("385.9(b) is TEST ONLY") for w in result.warnings)


def test_the_shipped_declarations_name_real_clauses_that_nothing_cites():
    declared = coverage.load_not_enforceable()
    shipped = {c.id for c in coverage.read_policy(SHIPPED_TEXT)}
    assert set(declared) <= shipped and all(reason for reason in declared.values())
    # A clause software can enforce is never declared to get the matrix green: these four ask nothing checkable.
    assert sorted(declared) == ["385.1", "385.1.1", "385.2"]
    result = coverage.shipped_matrix()
    assert not [w for w in result.warnings if "declared not enforceable" in w]
    assert {row.clause.id for row in result.with_status(Status.NOT_ENFORCEABLE)} == set(declared)


def test_a_planned_clause_counts_as_neither_covered_nor_uncovered_and_goes_stale_once_built():
    clauses = [
        Clause("385.9", "section", "VETTING", "Intro.", 1),
        Clause("385.9(a)", "item", "", "Searchers are designated.", 2, "385.9"),
        Clause("385.9(b)", "item", "", "Protected classes are filtered out.", 3, "385.9"),
        Clause("385.9(c)", "item", "", "Every candidate is vetted the same way.", 4, "385.9"),
    ]
    controls = [Control("385.9(b)", "app.vetting", "filter", 1, "app/vetting.py")]
    tests = [Evidence("385.9(b)", "tests/t.py::test_filter", 1)]
    planned = {"385.9(a)": "The vetting app.", "385.9(b)": "The vetting app.", "385.9(c)": "The vetting app."}
    planned["385.10"] = "A section the policy does not have."
    result = coverage.matrix(clauses, controls, tests, {"385.9(c)": "Done on paper."}, planned=planned)
    status = {row.clause.id: row.status for row in result.rows}
    assert status == {
        "385.9": Status.UNCOVERED,
        "385.9(a)": Status.PLANNED,
        "385.9(b)": Status.COVERED,
        "385.9(c)": Status.NOT_ENFORCEABLE,
    }
    assert ids(row.clause for row in result.planned) == ["385.9(a)"]
    assert result.planned[0].planned == "The vetting app." and result.planned[0].status.tone == "warn"
    assert ids(row.clause for row in result.uncovered) == ["385.9"]
    assert result.counts[Status.PLANNED] == 1 and result.counts[Status.COVERED] == 1
    assert (
        "385.9(b) is declared planned, yet it has a control and a test: the planned entry is stale, remove it."
        in result.warnings
    )
    assert any(w.startswith("385.9(c) is declared both not enforceable and planned") for w in result.warnings)
    assert "385.10 is declared planned but is not a clause of the policy." in result.warnings
    # A planned clause is not a warning of the ordinary kind: it has a block of its own.
    assert not [w for w in result.warnings if w.startswith("385.9(a)")]


def test_online_vetting_is_built_so_the_shipped_plan_is_empty():
    # 385.5.4(d) was the one clause planned; the vetting app now enforces it and its tests show it.
    assert coverage.load_planned() == {}
    row = next(row for row in coverage.shipped_matrix().rows if row.clause.id == "385.5.4(d)")
    assert row.status is Status.COVERED
    assert any(control.path.startswith("vetting/") for control in row.controls)
    assert any(test.nodeid.startswith("tests/vetting/") for test in row.tests)
    assert "385.5.4(d)" not in coverage.load_not_enforceable()


@pytest.fixture
def vetting_not_built(monkeypatch, tmp_path):
    """The matrix as it stood before the vetting app: 385.5.4(d) declared planned, and no control citing it."""
    planned = tmp_path / "planned.toml"
    planned.write_text(
        '"385.5.4(d)" = "Online vetting of job candidates: protected-class information filtered out before '
        'anything reaches a decision maker. The vetting app will enforce it."\n'
    )
    controls, tests = coverage.discover_controls, coverage.discover_tests
    apps = tuple(app for app in coverage.APPS if app != "vetting")

    def tests_without_vetting(root):
        found, problems = tests(root)
        return [t for t in found if t.clause != "385.5.4(d)"], problems

    monkeypatch.setattr(coverage, "discover_controls", lambda root: controls(root, apps))
    monkeypatch.setattr(coverage, "discover_tests", tests_without_vetting)
    monkeypatch.setitem(coverage.build.__kwdefaults__, "planned", planned)
    coverage.shipped_matrix.cache_clear()
    yield
    coverage.shipped_matrix.cache_clear()


def test_a_planned_clause_that_gets_a_control_and_a_test_is_reported_stale(tmp_path):
    (tmp_path / "members").mkdir()
    (tmp_path / "members" / "vetting.py").write_text(
        'from core.policy import enforces\n\n\n@enforces("385.5.4(d)")\ndef filter_protected_classes(found):\n'
        "    return found\n"
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_vetting.py").write_text(
        'import pytest\n\n\n@pytest.mark.policy("385.5.4(d)")\ndef test_protected_classes_are_filtered():\n    pass\n'
    )
    planned = tmp_path / "planned.toml"
    planned.write_text('"385.5.4(d)" = "The vetting app will enforce it."\n')
    result = coverage.build(root=tmp_path, planned=planned)
    row = next(row for row in result.rows if row.clause.id == "385.5.4(d)")
    assert row.status is Status.COVERED and row not in result.planned
    assert any(w.startswith("385.5.4(d) is declared planned, yet it has a control and a test") for w in result.warnings)


def test_a_declaration_without_a_reason_or_with_a_bad_id_is_refused(tmp_path):
    path = tmp_path / "not_enforceable.toml"
    path.write_text('"385.1" = "  "\n')
    with pytest.raises(coverage.PolicyError, match="385.1 needs the reason"):
        coverage.load_not_enforceable(path)
    path.write_text('"purpose" = "Not a rule."\n')
    with pytest.raises(coverage.PolicyError, match="'purpose' is not a clause id"):
        coverage.load_not_enforceable(path)
    planned = tmp_path / "planned.toml"
    planned.write_text('"385.5.4(d)" = ""\n')
    with pytest.raises(coverage.PolicyError, match=r"385.5.4\(d\) needs what will enforce it"):
        coverage.load_planned(planned)
    planned.write_text("[planned]\n")
    with pytest.raises(coverage.PolicyError, match="'planned' is not a clause id"):
        coverage.load_planned(planned)


# The command --------------------------------------------------------------------------------------------------


def test_the_command_prints_every_clause_and_fails_only_on_uncovered_ones():
    out, error = run()
    assert out.startswith("Policy 385 coverage: 48 clauses")
    assert "385.5.2(b)" in out and "DEPARTMENT-SANCTIONED USE" in out
    result = coverage.build()
    if result.uncovered:
        assert error is not None and error.returncode == 1
        assert str(error).startswith(f"{len(result.uncovered)} clause(s) UNCOVERED: ")
    else:
        assert error is None


def test_a_planned_clause_is_listed_on_every_run_and_fails_only_with_strict(vetting_not_built):
    out, error = run()
    assert re.search(r"^385\.5\.4\(d\)\s+PLANNED\s+SOCIAL MEDIA NOTIFICATIONS", out, re.M)
    assert "Planned, not yet built (1): not counted as covered; --strict fails on them." in out
    assert "  385.5.4(d): Online vetting of job candidates" in out
    # Without --strict a planned clause never fails the command; only an uncovered one does.
    assert error is None or ("PLANNED" not in str(error) and error.returncode == 1)
    quiet, _ = run("-v", "0")
    assert "Planned, not yet built (1)" in quiet and "  385.5.4(d): Online vetting" in quiet

    out, error = run("--strict")
    assert error is not None and error.returncode == 1
    assert "1 clause(s) PLANNED, not yet built (--strict): 385.5.4(d)" in str(error)
    assert "Planned, not yet built (1)" in out


def test_planned_clauses_in_json_and_csv(vetting_not_built):
    out, _ = run("--format", "json")
    data = json.loads(out)
    assert data["summary"]["planned"] == 1
    assert [p["id"] for p in data["planned"]] == ["385.5.4(d)"]
    assert data["planned"][0]["enforced_by"].startswith("Online vetting of job candidates")
    row = next(c for c in data["clauses"] if c["id"] == "385.5.4(d)")
    assert row["status"] == "planned" and row["planned"] == data["planned"][0]["enforced_by"]
    assert "385.5.4(d)" not in data["uncovered"]
    out, _ = run("--format", "csv")
    row = next(r for r in csv.DictReader(io.StringIO(out)) if r["clause"] == "385.5.4(d)")
    assert row["status"] == "PLANNED" and row["planned"].startswith("Online vetting")


def test_a_new_section_in_a_revised_text_is_new_and_uncovered(revised):
    path = revised(SHIPPED + "\n385.9 PUBLIC COMMENTS ON PERSONAL PAGES\n\nMembers shall not reply to comments.\n")
    out, error = run("--policy", str(path))
    assert "  new: 385.9 (UNCOVERED)" in out
    assert "  changed: none" in out and "  removed: none" in out
    assert "  new or changed and UNCOVERED: 385.9" in out
    assert error is not None and error.returncode == 1 and "385.9" in str(error)


def test_a_new_lettered_item_is_new_and_its_section_unchanged(revised):
    text = SHIPPED.replace(
        "- (g) Any content that has not been properly authorized by this policy or a supervisor.\n",
        "- (g) Any content that has not been properly authorized by this policy or a supervisor.\n"
        "- (h) Any content generated by a machine without review by a member.\n",
    )
    out, error = run("--policy", str(revised(text)), "--format", "json")
    data = json.loads(out)
    assert data["changes"] == {"new": ["385.5(h)"], "changed": [], "removed": [], "uncovered": ["385.5(h)"]}
    row = next(c for c in data["clauses"] if c["id"] == "385.5(h)")
    assert row["status"] == "uncovered" and row["change"] == "new" and row["kind"] == "item"
    assert error.returncode == 1


def test_changed_and_removed_clauses_are_named_but_moved_page_breaks_are_not(revised):
    text = SHIPPED.replace("at a minimum, addresses legal issues", "at least every two years, addresses legal issues")
    text = text.replace("- (q) Webpages\n", "")
    # Page furniture in new places and extra blank lines change no clause.
    text = text.replace("385.4.1 INCIDENT-SPECIFIC USE", "Indio PD Policy Manual\n\n\n385.4.1 INCIDENT-SPECIFIC USE")
    out, _ = run("--policy", str(revised(text)), "--format", "json")
    changes = json.loads(out)["changes"]
    assert changes["new"] == [] and changes["removed"] == ["385.7(q)"]
    assert changes["changed"] == ["385.8"]
    status = next(c["status"] for c in json.loads(out)["clauses"] if c["id"] == "385.8")
    assert status == "covered" and changes["uncovered"] == []
    assert "385.8 changed: check that its controls and tests still match its wording." in json.loads(out)["warnings"]


def test_the_shipped_text_given_as_a_revision_changes_nothing():
    out, _ = run("--policy", str(SHIPPED_TEXT), "--format", "json")
    assert json.loads(out)["changes"] == {"new": [], "changed": [], "removed": [], "uncovered": []}


def test_bad_policy_input_is_refused_naming_the_argument(tmp_path, revised):
    missing = tmp_path / "nowhere.txt"
    _, error = run("--policy", str(missing))
    assert error is not None and error.returncode == 2
    assert str(error) == f"--policy {missing}: no such file."
    _, error = run("--policy", str(revised("Department Use of Social Media\n\nNo numbered sections at all.\n")))
    assert (
        error.returncode == 2 and str(error).startswith("--policy ") and "no clauses of policy 385 found" in str(error)
    )
    _, error = run("--policy", str(tmp_path))
    assert error.returncode == 2 and "not a file" in str(error)


def test_csv_has_one_row_per_clause():
    out, _ = run("--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 48 and rows[0]["clause"] == "385.1" and rows[0]["status"] == "NOT ENFORCEABLE"
    assert rows[0]["reason"].startswith("Purpose and scope")


def test_the_exit_status_from_a_shell(revised):
    path = revised(SHIPPED + "\n385.9 PUBLIC COMMENTS ON PERSONAL PAGES\n\nMembers shall not reply to comments.\n")
    env = {**os.environ, "SECRET_KEY": settings.SECRET_KEY or "x" * 50, "HTTPS": "0", "STATIC_MANIFEST": "0"}
    command = [sys.executable, "manage.py", "policy_coverage", "--format", "json"]
    done = subprocess.run(
        [*command, "--policy", str(path)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["changes"]["uncovered"] == ["385.9"]
    assert "UNCOVERED: " in done.stderr and "385.9" in done.stderr
    missing = subprocess.run(
        [*command, "--policy", "/nonexistent/385.txt"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert missing.returncode == 2 and "--policy /nonexistent/385.txt: no such file." in missing.stderr


# The page -----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_member_reads_the_matrix_as_an_accessible_table(signed_in, member, vetting_not_built):
    response = signed_in(member).get("/oversight/coverage/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Policy coverage</h1>" in page
    assert "<caption>Policy 385, clause by clause (48 clauses)</caption>" in page
    assert '<th scope="col">Status</th>' in page
    assert page.count('<th scope="row">') == 48
    assert '<span class="section">385.5.2(b)</span>' in page and "DEPARTMENT-SANCTIONED USE" in page
    assert "NOT ENFORCEABLE" in page and "Purpose and scope: says what the policy is for" in page
    rows = re.findall(r'<tr id="(clause-[0-9a-z-]+)">', page)
    assert len(rows) == len(set(rows)) == 48 and "clause-385-5-2-b" in rows
    # Each clause the summary lists as uncovered links to its own row.
    assert set(re.findall(r'<a href="#(clause-[0-9a-z-]+)">', page)) <= set(rows)
    # Planned work has a block of its own, linked to its row, with what will enforce it.
    assert '<h2 id="planned-h">Planned, not yet built</h2>' in page
    assert '<a href="#clause-385-5-4-d">385.5.4(d)</a>' in page and "Online vetting of job candidates" in page
    assert "PLANNED" in page


@pytest.mark.django_db
def test_the_page_asks_a_visitor_to_sign_in(client):
    response = client.get("/oversight/coverage/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
