"""Each rule on its own: what it must find, and the near misses it must leave alone."""

import pytest

from moderation.screening import screen
from moderation.screening.rules.accessibility import grade_level

from .conftest import rule_ids

pytestmark = pytest.mark.django_db

CASES = [
    # rule, kind, text, should it fire?
    ("pii.ssn", "post", "SSN 532-48-1937 on file.", True),
    ("pii.ssn", "post", "Social security number: 532481937", True),
    ("pii.ssn", "post", "Case 2024-03-1234 and badge 532481937.", False),
    ("pii.ssn", "post", "Never give your Social Security number to a caller.", False),
    ("pii.dob", "post", "Missing: Ann Lee, DOB 04/22/1961.", True),
    ("pii.dob", "post", "She was born March 3, 1948 in Indio.", True),
    ("pii.dob", "post", "The event is on 03/14/2025. Born and raised in Indio, Officer Lee loves it here.", False),
    ("pii.phone", "post", "Please call her mother at 760-555-0187.", True),
    ("pii.phone", "post", "Call the non-emergency line at (760) 391-4051.", False),
    ("pii.phone", "post", "Call 911 in an emergency. For anything else, call 760-391-4051.", False),
    ("pii.phone", "post", "Crime Stoppers: 1-800-782-7463.", False),
    ("pii.email", "post", "Contact the victim at jsanders1987@gmail.com.", True),
    ("pii.email", "post", "E-mail records@indio.gov for records requests.", False),
    ("pii.licence", "post", "His driver's license number D4827715 was suspended.", True),
    ("pii.licence", "post", "A valid driver's license is required at the checkpoint.", False),
    ("pii.plate", "post", "The car of Maria Lopez, plate number 6ZRB218, was towed from her driveway.", True),
    # A plate alone, or a wanted vehicle's, identifies nobody: it is how the public can help.
    ("pii.plate", "post", "A red pickup with plate number 6ZRB218 left the scene.", False),
    ("pii.plate", "comment", "That's Tom Hadley's white Silverado 8KRT442 again.", True),
    ("pii.plate", "post", "Have your license plate number ready when you report a theft.", False),
    ("pii.address", "post", "The driver, who lives at 81-340 Orchid Lane, was cited.", True),
    ("pii.address", "post", "A burglary in the 45-100 block of Oasis Street.", False),
    ("pii.address", "post", "Seminar at the Indio Senior Center, 45222 Towne Avenue, at 10 a.m.", False),
    ("pii.address", "post", "3 cars on the road were damaged.", False),
    ("pii.juvenile", "post", "Detained: Jordan Price, 16, of Coachella.", True),
    ("pii.juvenile", "post", "Police arrested 17-year-old Ashley Moreno.", True),
    ("pii.juvenile", "post", "Arrested: John Miller, 34, of Indio.", False),
    ("pii.juvenile", "post", "A 15-year-old boy was found safe.", False),
    ("pii.phone", "comment", "His number is 760-555-0166, call him.", True),
    ("conduct.guilt", "post", "We caught the killer.", True),
    ("conduct.guilt", "post", "The suspect is clearly guilty and we expect a conviction.", True),
    ("conduct.guilt", "post", "All suspects are presumed innocent until proven guilty.", False),
    ("conduct.guilt", "post", "Help us identify the thief seen in this video.", False),
    ("conduct.abusive", "post", "Whoever dumped this trash is absolute scum.", True),
    ("conduct.abusive", "post", "Sexual Assault Awareness Month: advocates are available.", False),
    ("conduct.abusive", "post", "Shooting range open house on Saturday at the Scunthorpe exhibit.", False),
    ("conduct.political", "post", "Vote yes on Measure X!", True),
    ("conduct.political", "post", "Voting Tuesday? Expect traffic near polling places.", False),
    ("conduct.political", "post", "Prescription Drug Take Back Day is Saturday.", False),
    ("conduct.business", "post", "Use code INDIOPD for 10% off at my wife's bakery.", True),
    ("conduct.business", "post", "Shop with a Cop helped 40 kids buy gifts.", False),
    ("conduct.personal_use", "post", "My wife and I just got back from Cabo lol", True),
    ("conduct.personal_use", "post", "Happy birthday to Officer Nguyen!", False),
    ("comment.threat", "comment", "I'm going to kill every one of you.", True),
    ("comment.threat", "comment", "I know where you live, Officer Reyes.", True),
    ("comment.threat", "comment", "This traffic is killing me.", False),
    ("comment.threat", "comment", "I will shoot you an email about the meeting.", False),
    ("comment.threat", "comment", "We are going to beat the fire department at softball!", False),
    ("comment.inflammatory", "comment", "ACAB", True),
    ("comment.inflammatory", "comment", "Pig roast fundraiser Saturday!", False),
    ("comment.obscenity", "comment", "What the f*ck is going on?", True),
    ("comment.obscenity", "comment", "Cocktail night at the Scunthorpe pub.", False),
    ("comment.personal_attack", "comment", "You're a bunch of idiots.", True),
    ("comment.personal_attack", "comment", "Stupid question, but is the road open?", False),
    ("comment.spam", "comment", "Make $500 a day working from home!", True),
    ("comment.spam", "comment", "More info: https://www.indio.gov/fireworks", False),
    ("a11y.hashtag_case", "post", "Join us for #nationalnightout!", True),
    ("a11y.hashtag_case", "post", "Join us for #NationalNightOut and #safety!", False),
    ("a11y.link_text", "post", "To see the map, click here: https://example.org/map", True),
    ("a11y.link_text", "post", "Road closure map: https://example.org/map", False),
    ("a11y.emoji_only", "post", "🚓🚨", True),
    ("a11y.emoji_only", "post", "Crash on I-10 🚗💥🚑 avoid the area", True),
    ("a11y.emoji_only", "post", "Happy Fourth of July from all of us! 🎆", False),
]


@pytest.mark.policy("385.5(a)", "385.5(b)", "385.5(f)", "385.5.1", "385.5.1(a)", "385.5.2(b)")
@pytest.mark.parametrize(("rule", "kind", "text", "fires"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule(rule, kind, text, fires):
    assert (rule in rule_ids(text, kind)) is fires


@pytest.mark.policy("385.5(b)")
def test_findings_carry_section_and_span_into_the_original_text():
    text = "Missing: Ann Lee, DOB 04/22/1961."
    (f,) = [f for f in screen(text) if f.rule_id == "pii.dob"]
    assert f.section == "385.5(b)" and text[f.start : f.end] == "04/22/1961" == f.excerpt


def test_hashtag_suggests_camel_case():
    (f,) = [f for f in screen("Closed: #roadclosure") if f.rule_id == "a11y.hashtag_case"]
    assert f.data["suggestion"] == "#RoadClosure" and f.severity == "info"


@pytest.mark.policy("385.5.1")
def test_threat_blocks_and_escalates():
    (f,) = [f for f in screen("Somebody needs to take out the chief.", kind="comment") if f.rule_id == "comment.threat"]
    assert f.severity == "block" and f.escalate is True


def test_alt_text_is_required_for_images_only():
    attachments = [
        {"kind": "image", "alt_text": ""},
        {"kind": "image", "alt_text": "IMG_2041.jpg"},
        {"kind": "image", "alt_text": "Officers hand out helmets at the bike rodeo"},
        {"kind": "document", "alt_text": ""},
    ]
    found = [
        f for f in screen("Bike rodeo today.", context={"attachments": attachments}) if f.rule_id == "a11y.alt_text"
    ]
    assert [f.data["attachment"] for f in found] == [0, 1]


def test_readability_warns_past_the_threshold(settings):
    plain = "We closed the road. It will open at noon. Please go around. Thank you for your patience. " * 4
    dense = (
        "Notwithstanding extraordinary circumstances, the department's comprehensive investigative "
        "methodology necessitates interagency coordination, administrative documentation and "
        "prosecutorial consultation before substantive information concerning the aforementioned "
        "incident can be responsibly disseminated to community stakeholders."
    )
    assert grade_level(plain) < 9 < grade_level(dense)
    assert "a11y.readability" not in rule_ids(plain)
    assert "a11y.readability" in rule_ids(dense)
    settings.SCREENING_READABILITY_MAX_GRADE = 40
    assert "a11y.readability" not in rule_ids(dense)


def test_department_numbers_from_settings_are_not_flagged(settings):
    text = "Questions? Text 760-555-0100."
    assert "pii.phone" in rule_ids(text)
    settings.SCREENING_DEPARTMENT_PHONES = ["(760) 555-0100"]
    assert "pii.phone" not in rule_ids(text)
