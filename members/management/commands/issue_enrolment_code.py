from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from members.accounts import issue_enrolment_code


class Command(BaseCommand):
    help = (
        "Issue a one-time two-factor enrolment code for a member (as an administrator) and print it once. "
        "Any earlier unused code of the member is withdrawn."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The member who will set up their first two-factor device.")

    def handle(self, *args, username, **options):
        member = get_user_model().objects.filter(username=username).first()
        if member is None:
            raise CommandError(f"username: no member is called {username!r}.")
        try:
            enrolment, code = issue_enrolment_code(actor=None, member=member)
        except DomainError as error:
            raise CommandError(f"{error.field or 'username'}: {error}") from error
        self.stdout.write(f"Enrolment code for {username}: {code}")
        self.stdout.write(f"It works once and expires {enrolment.expires_at:%Y-%m-%d %H:%M %Z}.")
