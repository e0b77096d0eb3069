"""The story part of the demo: missions walked through the rule functions, step by step.

Every step calls the same service a recruiter's or a client's click calls, so the timeline,
the slots and the interview numbers are the real ones; the `Backdater` then moves the step's
timestamps to the day of the past it happened.
"""

from datetime import timedelta

from django.core.files.base import ContentFile

from candidates import services as candidate_services
from candidates.models import Candidate, ComplianceRequirement, Seniority
from demo.clock import Backdater, moment
from demo.people import city_of
from interviews import services as interview_services
from missions import services as mission_services
from missions.models import MissionState

SENIORITY_FR = {
    Seniority.JUNIOR: "junior",
    Seniority.CONFIRMED: "confirmé",
    Seniority.SENIOR: "senior",
    Seniority.EXPERT: "expert",
}
# The file of a demo compliance document: an empty PDF page stands for the scan.
DOCUMENT_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
RISKS = [
    "Peu de marge de négociation sur le tarif.",
    "En process chez un autre client, réponse attendue sous huit jours.",
    "Préavis de deux semaines sur sa mission actuelle.",
    "Aucun risque identifié.",
    "Souhaite au moins deux jours de télétravail par semaine.",
]


class Story:
    """Helpers that each perform one step of a mission's life at a given day of the past."""

    def __init__(self, *, rng, today, now, staff, clients, contacts, skills, pool):
        self.rng = rng
        self.today = today
        self.clock = Backdater(today=today, now=now)
        self.recruiter = staff["recruiter"]
        self.thomas = staff["thomas"]
        self.clients = {client.name: client for client in clients}
        self.contacts = contacts
        self.skills = skills
        self.by_family = {}
        for profile in pool:
            self.by_family.setdefault(profile.family, []).append(profile)
        self.pool = pool
        self.used = set()

    # People ---------------------------------------------------------------------------

    def contact(self, mission):
        """The client-side person who answers for this mission (alice and bob at theirs)."""
        return self.contacts[mission.client_id][0].user

    def pick(self, family, seniorities, *, max_rate=None, min_rate=None):
        """An unused profile of this family and seniority, relaxing the wish when none is left."""
        family_pool = self.by_family.get(family, [])
        wishes = [
            lambda p: (
                p.seniority in seniorities
                and (max_rate is None or p.day_rate <= max_rate)
                and (min_rate is None or p.day_rate >= min_rate)
            ),
            lambda p: p.seniority in seniorities,
            lambda p: True,
        ]
        for wish in wishes:
            found = [p for p in family_pool if p.pk not in self.used and wish(p)]
            if found:
                break
        else:
            found = [p for p in self.pool if p.pk not in self.used] or self.pool
        profile = self.rng.choice(found)
        self.used.add(profile.pk)
        return Candidate.objects.get(pk=profile.pk)

    # Missions -------------------------------------------------------------------------

    def mission(self, days_ago, *, client, owner, required, nice=(), start_in=30, **fields):
        """`required` holds (skill name, minimum years); `nice` skill names."""
        client = self.clients[client]
        # The contact who answers for the mission asked for it: the emails go to them.
        fields.setdefault("requester", self.contacts[client.pk][0])
        skills = [(self.skills[name], True, years) for name, years in required]
        skills += [(self.skills[name], False, 0) for name in nice]
        with self.clock.at(days_ago, 9, 30):
            return mission_services.create_mission(
                by=fields.pop("by", owner),
                client=client,
                owner=owner,
                location=city_of(client),
                start_date=self.today + timedelta(days=start_in) if start_in else None,
                skills=skills,
                **fields,
            )

    def move(self, mission, days_ago, to, note=""):
        with self.clock.at(days_ago, 11):
            mission_services.transition_mission(mission=mission, to=to, by=mission.owner, note=note)

    def open(self, mission, days_ago):
        self.move(mission, days_ago, MissionState.OPEN)

    # Shortlist ------------------------------------------------------------------------

    def shortlist(self, mission, days_ago, *, family, seniorities, candidate=None, **rates):
        candidate = candidate or self.pick(family, seniorities, **rates)
        with self.clock.at(days_ago, 14):
            entry = mission_services.shortlist_candidate(
                mission=mission, candidate=candidate, by=mission.owner, confirm_warnings=True
            )
            parts = self.report(candidate)
            for name, text in parts.items():
                setattr(entry, name, text)
            entry.save(update_fields=list(parts))
        return entry

    def report(self, candidate):
        """The recruiter's compte rendu, part by part: why, hard skills, soft skills, risks,
        availability."""
        top = candidate.skills.select_related("skill").order_by("-years")[:3]
        hard = ", ".join(f"{s.skill.name} ({str(s.years).replace('.', ',')} ans)" for s in top)
        available = candidate.available_from or self.today
        return {
            "report": f"{candidate.headline}, niveau {SENIORITY_FR[candidate.seniority]}, "
            "expérience proche du contexte du client.",
            "report_hard_skills": f"{hard or 'Projets de formation solides'}.",
            "report_soft_skills": candidate.soft_skill_notes or "Clair, posé, bon contact.",
            "report_risks": self.rng.choice(RISKS),
            "report_availability": f"À partir du {available:%d/%m/%Y}.",
        }

    def send(self, mission, days_ago):
        with self.clock.at(days_ago, 17):
            mission_services.send_shortlist(mission=mission, by=mission.owner)

    def request(self, entry, days_ago, slots):
        with self.clock.at(days_ago, 9):
            mission_services.request_interview(
                entry=entry, by=self.contact(entry.mission), slots=slots
            )

    def decline(self, entry, days_ago, reason, note):
        with self.clock.at(days_ago, 10):
            mission_services.decline_entry(
                entry=entry, by=self.contact(entry.mission), reason=reason, note=note
            )

    def withdraw(self, entry, days_ago, reason, note):
        with self.clock.at(days_ago, 16):
            mission_services.withdraw_entry(
                entry=entry, by=entry.mission.owner, reason=reason, note=note
            )

    def not_retained(self, entry, days_ago, reason, note):
        with self.clock.at(days_ago, 16, 30):
            mission_services.mark_not_retained(
                entry=entry, by=self.contact(entry.mission), reason=reason, note=note
            )

    def select(self, entry, days_ago, note="", *, lacking=(), exception=""):
        """The client selects `entry`. The recruiter collected the freelancer's compliance
        documents (R9) the week before, but those in `lacking`: then the selection goes
        through only with the recruiter's `exception` (who selects: the recruiter)."""
        self.collect_documents(entry.candidate, days_ago + 7, lacking=lacking)
        by = entry.mission.owner if exception else self.contact(entry.mission)
        with self.clock.at(days_ago, 15):
            mission_services.select_candidate(
                entry=entry, by=by, note=note, compliance_exception=exception
            )

    def collect_documents(self, candidate, days_ago, *, lacking=()):
        """The mandatory documents of the profile's legal form, uploaded and checked
        `days_ago` by its recruiter, issued a few days before."""
        wanted = ComplianceRequirement.objects.filter(legal_form=candidate.legal_form)
        issued_on = self.today - timedelta(days=days_ago + 3)
        with self.clock.at(days_ago, 11):
            for requirement in wanted.exclude(document_type__in=lacking):
                candidate_services.add_compliance_document(
                    by=candidate.owner or self.recruiter,
                    candidate=candidate,
                    document_type=requirement.document_type,
                    file=ContentFile(DOCUMENT_PDF, name=f"{requirement.document_type}.pdf"),
                    issued_on=issued_on,
                    checked=True,
                    today=self.today - timedelta(days=days_ago),
                )

    # Interviews -----------------------------------------------------------------------

    def schedule(self, entry, days_ago, *, on, hour=14, kind="client", **fields):
        """Schedule, `days_ago`, an interview that takes place `on` days ago (negative: to come)."""
        mission = entry.mission
        if "video_link" not in fields and "place" not in fields:
            fields["place"] = f"Locaux de {mission.client.name}"
        with self.clock.at(days_ago, 12):
            return interview_services.schedule_interview(
                entry=entry,
                by=mission.owner,
                scheduled_at=moment(self.today, on, hour),
                kind=kind,
                recruiter=mission.owner,
                client_interviewers=fields.pop("client_interviewers", ""),
                **fields,
            )

    def feedback(self, interview, days_ago, *, verdict, hard, soft, causes=(), **notes):
        """Hard skills first (each required skill of the demand, then overall), then soft
        skills, the verdict and the causes of failure."""
        required = interview.entry.mission.skills.filter(required=True)
        with self.clock.at(days_ago, 18):
            interview_services.record_feedback(
                interview=interview,
                by=interview.recruiter,
                causes=causes,
                skill_ratings={asked.skill_id: (hard, "") for asked in required},
                verdict=verdict,
                hard_skills_rating=hard,
                soft_skills_rating=soft,
                **notes,
            )

    def cancel_interview(self, interview, days_ago, note):
        with self.clock.at(days_ago, 9):
            interview_services.cancel_interview(
                interview=interview, by=interview.recruiter, note=note
            )

    def no_show(self, interview, days_ago, note):
        with self.clock.at(days_ago, 15):
            interview_services.mark_no_show(interview=interview, by=interview.recruiter, note=note)
