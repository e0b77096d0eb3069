"""`manage.py seed_demo`: a realistic, deterministic French demo data set."""

import random
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.test.utils import override_settings
from django.utils import timezone

from candidates.models import (
    Candidate,
    CandidateSkill,
    ComplianceDocument,
    Experience,
    PortageCompany,
    Project,
    Skill,
)
from demo import bulk, narratives, people, profiles
from demo.clock import moment
from demo.rows import KeyAllocator, foreign_keys_checked_at_the_end
from demo.story import Story
from interviews import rollups
from interviews.models import Interview, InterviewFailureCause
from missions.models import (
    Client,
    ClientContact,
    ComplianceException,
    Event,
    Mission,
    MissionSkill,
    Placement,
    ShortlistEntry,
)

MIN_PROFILES = 40  # the story alone positions about 32 distinct profiles
# Demo people have example addresses, but a console or SMTP backend would still print or try
# to send every notification the story triggers: demo data emails nobody.
SILENT_MAILERS = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
# Children before parents: PROTECT forbids the other order.
WIPE_ORDER = [
    Event,
    InterviewFailureCause,
    Interview,
    Placement,
    ComplianceException,
    ShortlistEntry,
    MissionSkill,
    Mission,
    ClientContact,
    Client,
    CandidateSkill,
    Experience.technologies.through,
    Project.technologies.through,
    Experience,
    Project,
    ComplianceDocument,
    Candidate,
    Skill,
    PortageCompany,
]


class Command(BaseCommand):
    help = (
        "Load a French demo data set: skills, portage companies, clients with contacts, "
        "freelance profiles with careers, and missions in every state whose shortlists, "
        "interviews and timelines were played through the rule functions. Users admin, "
        "recruiter, thomas, alice (Transalp Logistique) and bob (Brenner Assurances) get the "
        "password 'demo'. Runs only with DEBUG on, unless --force. When the database already "
        "holds the demo users or any client or profile, it says so and changes nothing "
        "(exit 0); --reset first deletes every client, mission, profile and skill, the client "
        "contacts' users and the demo users. The same --seed gives the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--profiles",
            type=int,
            default=60,
            help="Number of freelance profiles (default 60); clients, missions, shortlists "
            "and interviews grow in proportion. 100000 runs in a few minutes.",
        )
        parser.add_argument("--seed", type=int, default=1789, help="Random seed (default 1789).")
        parser.add_argument(
            "--reset", action="store_true", help="Delete the existing data set first."
        )
        parser.add_argument("--force", action="store_true", help="Run even though DEBUG is off.")

    def handle(self, *, profiles, seed, reset, force, verbosity, **options):
        self.verbosity = verbosity
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo fills the database with fake people and missions, so it runs only "
                "with DEBUG on. Use --force to run it anyway."
            )
        if profiles < MIN_PROFILES:
            raise CommandError(f"--profiles must be at least {MIN_PROFILES}.")
        if not reset and self.already_seeded():
            return
        self.started = started = time.monotonic()
        with override_settings(MAILERS=SILENT_MAILERS), transaction.atomic():
            if reset:
                wipe()
                self.verbose("Previous data set deleted")
            self.verbose("Writing the demo data set…")
            with foreign_keys_checked_at_the_end(WIPE_ORDER):
                summary = build(profile_count=profiles, seed=seed, log=self.verbose)
            self.verbose("Foreign keys checked")
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready in {time.monotonic() - started:.1f} s: " + summary)
        )
        self.print_users()

    def verbose(self, message):
        if self.verbosity >= 2:
            self.stdout.write(f"{time.monotonic() - self.started:6.1f} s  {message}")

    def already_seeded(self):
        users = get_user_model().objects.filter(username__in=people.DEMO_USERNAMES)
        if users.exists():
            reason = "the demo users exist"
        elif Client.objects.exists() or Candidate.objects.exists():
            reason = "the database already holds clients or profiles"
        else:
            return False
        self.stdout.write(
            f"Nothing loaded: {reason}. Run seed_demo --reset to replace them with the demo data."
        )
        self.print_users()
        return True

    def print_users(self):
        User = get_user_model()
        found = set(
            User.objects.filter(username__in=people.DEMO_USERNAMES).values_list(
                "username", flat=True
            )
        )
        if not found:
            return
        rows = [("username", "name", "role", "password")]
        for spec in people.DEMO_USERS:
            if spec.username in found:
                role = spec.role.replace("_", " ")
                if spec.client:
                    role = f"{role}, {spec.client}"
                elif spec.role == "admin":
                    role = "admin (superuser)"
                name = f"{spec.first_name} {spec.last_name}"
                rows.append((spec.username, name, role, people.DEMO_PASSWORD))
        self.stdout.write("")
        for username, name, role, password in rows:
            self.stdout.write(f"{username:<11}{name:<16}{role:<42}{password}")


def wipe():
    """Delete every client, mission, profile and skill, and the demo and contact users."""
    contact_users = list(ClientContact.objects.values_list("user_id", flat=True))
    for model in WIPE_ORDER:
        model.objects.all().delete()
    get_user_model().objects.filter(
        Q(username__in=people.DEMO_USERNAMES) | Q(pk__in=contact_users)
    ).delete()


def build(*, profile_count, seed, log):
    """Write the whole data set; return a one-line summary."""
    rng = random.Random(seed)
    # The story ends at last midnight, whatever the hour it runs: the same seed gives the same
    # data all day long, and what is "to come" (interviews) starts tomorrow.
    today = timezone.localdate()
    now = moment(today, 0, 0) - timedelta(minutes=1)
    staff = people.create_staff()
    owners = [staff["recruiter"], staff["thomas"]]
    skills = profiles.create_skills()
    portage_companies = profiles.create_portage_companies()
    keys = KeyAllocator()
    clients, contacts, _ = people.create_clients(
        count=max(8, profile_count // 60), rng=rng, today=today, owners=owners, keys=keys
    )
    log(f"{len(clients)} clients and their contacts")
    pool = profiles.create_profiles(
        count=profile_count,
        rng=rng,
        today=today,
        skills=skills,
        portage_companies=portage_companies,
        owners=owners,
        keys=keys,
    )
    log(f"{len(pool)} profiles with their careers")
    # The story's rows come from the services, so the sequences must be past the bulk keys.
    keys.reset_sequences()
    story = Story(
        rng=rng,
        today=today,
        now=now,
        staff=staff,
        clients=clients,
        contacts=contacts,
        skills=skills,
        pool=pool,
    )
    story_missions = narratives.tell(story)
    log(f"{len(story_missions)} missions told through the rule functions")
    bulk.create_missions(
        count=max(0, profile_count // 6 - len(story_missions)),
        rng=rng,
        today=today,
        now=now,
        clients=clients,
        contacts=contacts,
        owners=owners,
        skills=skills,
        pool=pool,
        keys=keys,
    )
    keys.reset_sequences()
    log("Missions written in bulk")
    # The bulk rows bypassed the services, which keep the insights' rollups: computed once.
    log(f"{rollups.rebuild()} insights rollup rows")
    return (
        f"{Candidate.objects.count()} profiles, {Client.objects.count()} clients, "
        f"{Mission.objects.count()} missions, {ShortlistEntry.objects.count()} shortlist "
        f"entries, {Interview.objects.count()} interviews, {Event.objects.count()} timeline "
        "events."
    )
