"""Screening for 385.5(d) and 385.5(e): what a post must not give away about operations, members, victims and empty
homes, and the tone unbecoming an official account. Each rule with the plain-language phrasings it must find and
the ordinary announcements it must leave alone."""

import pytest

from core.errors import PolicyViolation
from moderation import services as review
from moderation.screening import Severity, screen
from moderation.screening.base import rule_ids as registered_rule_ids
from posts.models import Post
from tests.posts.factories import draft

from .conftest import rule_ids

pytestmark = pytest.mark.django_db

SECURITY = "operations.security"
UNPROFESSIONAL = "conduct.unprofessional"

SECURITY_FINDS = [
    # Staffing levels
    "Only two officers on patrol tonight, so please be patient if you call.",
    "We only have three officers covering the whole city this weekend.",
    "Heads up: just one deputy on duty after midnight in the north end.",
    "We're down to 4 officers on shift until the academy class graduates.",
    "The department is short-staffed tonight because of the flu going around.",
    "This weekend we are running on a skeleton crew.",
    "There will be no officers on patrol between 2 and 5 a.m. on the east side.",
    "The north end will have no patrol coverage during the parade.",
    "The substation is unmanned after 6 p.m.",
    # Shift schedules
    "Shift change is at 6 a.m. and 6 p.m. every day.",
    "Calls may take longer during shift change.",
    "Our graveyard shift starts at 10 p.m. and ends at 8 a.m.",
    "Patrol officers go off duty at 3 a.m. on weeknights.",
    # Officers' homes and families
    "Officer Diaz lives on Cerrito Way, the house with the red door.",
    "Sgt. Kim's house is on the corner of Avenue 44 and Jackson.",
    "Detective Ruiz's daughter attends Indio High School.",
    "Officer Maria Lopez's husband works at the DMV on Clinton.",
    "Sgt. Pete Rojas is selling his home near Indio Blvd!",
    # Undercover and plain-clothes identities
    "Plain-clothes officers will be at the mall watching for shoplifters.",
    "Pictured above is our undercover narcotics detective receiving his award.",
    "Undercover officer Jake Morales (left) with the chief.",
    "Our unmarked cars are gray Ford Explorers with tinted windows.",
    # Tactical plans, staging, times of an operation
    "SWAT will stage at the Walmart parking lot on Jackson before the raid.",
    "Officers will serve search warrants on the east side tomorrow morning.",
    "The warrant sweep is planned for tonight at 11 p.m.",
    "The search warrant will be served at 5 a.m. on Friday.",
    "Snipers will be positioned on the roof of the bank.",
    # A victim's or witness's location
    "The victim is staying with her sister on Oasis Street.",
    "The witness, Mr. Roberto Ayala, lives directly across from the scene.",
    "The victim and her children have been relocated to a motel on Highway 111.",
    "The victim's current location is the Desert Inn, room 12.",
    "The children were moved to a safe house.",
    # Empty homes
    "The house is empty while they are on vacation in Mexico.",
    "The family is out of town until Sunday, so keep an eye on their place.",
    "Nobody is home at the Garcia residence this week.",
    "Their alarm system is disabled while the repairs are done.",
    # Spanish
    "Solo hay dos oficiales de patrulla esta noche.",
    "La casa está vacía porque la familia está de vacaciones.",
    "La víctima se está quedando con su hermana en la calle Oasis.",
]

SECURITY_PASSES = [
    "Officers will be at the Community Center on Saturday for coffee. Come say hi!",
    "Extra officers will be on patrol for the Fourth of July. Celebrate safely.",
    "DUI checkpoint Friday from 8 p.m. to 2 a.m. at Monroe St and Avenue 44.",
    "The victim was transported to a local hospital with non-life-threatening injuries.",
    "Going on vacation? Sign up for a free vacation house check while you're away.",
    "When residents are away, burglars look for piled-up mail. Ask a neighbor to collect it.",
    "Think twice before posting your vacation photos while you're away.",
    "Witnesses are asked to call Detective Ruiz at (760) 391-4051.",
    "Officers served a search warrant Tuesday morning in the 47-000 block of Van Buren St.",
    "The standoff has ended peacefully. The man surrendered to SWAT officers at about 3:30 a.m.",
    "Parade staging begins at 9 a.m. at Jackson Elementary.",
    "Officers work a 4/10 schedule with every other weekend off. Apply today!",
    "A vacant house on Oasis Street was damaged by fire overnight. No one was home at the time.",
    "Officer Lopez grew up in Indio and coaches Little League.",
    "Officer Garcia and his kids attended the Christmas parade.",
    "An undercover operation in March led to 12 arrests for selling alcohol to minors.",
    "Please be patient with our front desk during the lunch hour. We are short-staffed this week.",
    "Our night shift thanks the family who dropped off breakfast burritos!",
    "The victim's name is being withheld pending notification of next of kin.",
    "Recruitment: we are understaffed like many agencies, and we want you on the team.",
    "Clowns, face painting and a bounce house at National Night Out!",
]

UNPROFESSIONAL_FINDS = [
    # Internet slang unbecoming an official account
    "lol this guy tried to pay with a fake $100 bill",
    "Another crash at the same intersection. SMH.",
    "He left his wallet at the scene lmao",
    "Bruh. Just don't.",
    "Stolen car recovered 🙄",
    # Mockery or sarcasm about the public or suspects
    "Some genius tried to outrun our officers on I-10 last night.",
    "What a bunch of idiots: three DUIs before 10 p.m.",
    "Our nominee for the world's dumbest criminal tried to sell the bike back to its owner.",
    "Nice try, buddy. The tools were engraved.",
    "Play stupid games, win stupid prizes.",
    "He'll have plenty of time to think about his life choices.",
    "Enjoy your stay at the county jail!",
    "Not exactly the sharpest tool in the shed, this one.",
    "Seriously, people? It's not that hard to use a turn signal.",
    "Apparently some drivers can't read a stop sign.",
    # Language unbecoming an official account
    "What the heck is wrong with drivers on Highway 111?",
    "This freaking heat is no joke, stay hydrated.",
    # Disparaging other agencies or courts
    "The judge let him out again within hours. Revolving door justice at its finest.",
    "Once again the DA dropped the ball on this one.",
    "Unlike the Sheriff's Department, we actually answer our phones.",
    "Another slap on the wrist from our soft on crime courts.",
    "Coachella PD couldn't catch him, so we did.",
]

UNPROFESSIONAL_PASSES = [
    "Officers will be at the Community Center on Saturday for coffee. Come say hi!",
    "Thank you to the Riverside County Sheriff's Department and CHP for their help today.",
    "The suspect was booked into jail and the case was forwarded to the District Attorney's Office.",
    "Clowns, face painting and a bounce house at National Night Out!",
    "Catch-and-release fishing derby for kids at Lake Cahuilla on Saturday.",
    "Congratulations to the winners of our coloring contest!",
    "The court set bail at $50,000. He is presumed innocent until proven guilty.",
    "Welcome, festival-goers! Enjoy your stay in Indio and drive safely.",
    "Officer Nguyen tried the hot wing challenge at the fundraiser. Nice job raising $2,000!",
    "Ever thought about a career in law enforcement? Join our team.",
    "The Explorers had a great time at the Jackson Park cleanup.",
]


def _case_id(text: str) -> str:
    return text[:48]


@pytest.mark.policy("385.5(e)")
class TestOperationalSecurity:
    @pytest.mark.parametrize("text", SECURITY_FINDS, ids=_case_id)
    def test_finds_what_would_compromise_safety_and_security(self, text):
        findings = [f for f in screen(text) if f.rule_id == SECURITY]
        assert findings, text
        for f in findings:
            assert f.section == "385.5(e)" and f.severity == Severity.ACKNOWLEDGE
            assert text[f.start : f.end] == f.excerpt and f.excerpt.strip()

    @pytest.mark.parametrize("text", SECURITY_PASSES, ids=_case_id)
    def test_leaves_ordinary_announcements_alone(self, text):
        assert SECURITY not in rule_ids(text), text


@pytest.mark.policy("385.5(d)")
class TestProfessionalism:
    @pytest.mark.parametrize("text", UNPROFESSIONAL_FINDS, ids=_case_id)
    def test_finds_what_would_damage_the_departments_reputation(self, text):
        findings = [f for f in screen(text) if f.rule_id == UNPROFESSIONAL]
        assert findings, text
        for f in findings:
            assert f.section == "385.5(d)" and f.severity == Severity.ACKNOWLEDGE
            assert text[f.start : f.end] == f.excerpt

    @pytest.mark.parametrize("text", UNPROFESSIONAL_PASSES, ids=_case_id)
    def test_leaves_ordinary_announcements_alone(self, text):
        assert UNPROFESSIONAL not in rule_ids(text), text


def test_both_rules_screen_posts_only():
    assert SECURITY in registered_rule_ids("post") and UNPROFESSIONAL in registered_rule_ids("post")
    assert SECURITY not in registered_rule_ids("comment") and UNPROFESSIONAL not in registered_rule_ids("comment")
    assert not {SECURITY, UNPROFESSIONAL} & rule_ids("Only two officers on patrol tonight lol", kind="comment")


@pytest.mark.policy("385.5(d)", "385.5(e)")
def test_a_supervisor_acknowledges_each_finding_before_approving(author, channel, supervisor):
    post = draft(author, [channel], body="Only two officers on patrol tonight, lol. Be patient.")
    submitted = review.submit_for_review(actor=author, post=post)
    findings = {f.rule_id: f for f in submitted.findings.all()}
    assert findings[SECURITY].section == "385.5(e)" and findings[SECURITY].needs_acknowledgement
    assert findings[UNPROFESSIONAL].section == "385.5(d)" and findings[UNPROFESSIONAL].needs_acknowledgement
    with pytest.raises(PolicyViolation) as refused:
        review.approve_post(actor=supervisor, post=post)
    assert refused.value.code == "unacknowledged"
    post.refresh_from_db()
    assert post.status == Post.Status.IN_REVIEW
    # "lol" also reads as personal use (385.5(f)); every finding is acknowledged, each under its own section.
    ids = [f.pk for f in submitted.findings.all() if f.needs_acknowledgement]
    review.approve_post(actor=supervisor, post=post, acknowledge=ids)
    post.refresh_from_db()
    assert post.status == Post.Status.APPROVED


def test_a_guideline_post_that_gives_away_staffing_needs_a_supervisor(author, channel, chief):
    from posts import services as posts

    template = posts.save_guideline_template(
        actor=chief,
        name="Patrol notice",
        category="announcement",
        body="Patrol notice: {notice}",
        fields=[{"name": "notice", "label": "Notice", "max_length": 120}],
    )
    post = draft(
        author,
        [channel],
        body="Patrol notice: only two officers on duty tonight",
        template=template,
        template_values={"notice": "only two officers on duty tonight"},
    )
    path = review.approval_path(post)
    assert not path.conforms and "(385.5(e))" in " ".join(path.reasons)


def test_the_rules_page_lists_both_rules(signed_in, supervisor):
    page = signed_in(supervisor).get("/screening/rules/").content.decode()
    assert SECURITY in page and UNPROFESSIONAL in page
    assert "385.5(e): staffing, shift times" in page and "385.5(d): mockery of the public" in page
