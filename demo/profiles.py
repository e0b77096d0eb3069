"""Freelance profiles in bulk: identity, rate by seniority, career, skills and projects.

Each profile is planned in memory (a career of experiences with their technologies), then
written with multi-row INSERTs in chunks, so 100,000 profiles take minutes, not hours. Skill
years follow `refresh_skill_years`: months of the experiences naming the skill, overlaps
counted once.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from candidates.models import (
    Candidate,
    CandidateSkill,
    Channel,
    Experience,
    LegalForm,
    PortageCompany,
    Project,
    RemotePolicy,
    Seniority,
    Skill,
)
from candidates.services import _merged_months
from demo import catalogue
from demo.clock import moment
from demo.people import ascii_slug
from demo.rows import insert_objects, insert_rows

RATE_RANGES = {
    Seniority.JUNIOR: (300, 450),
    Seniority.CONFIRMED: (450, 600),
    Seniority.SENIOR: (550, 750),
    Seniority.EXPERT: (700, 950),
}
CAREER_YEARS = {
    Seniority.JUNIOR: (0, 2),
    Seniority.CONFIRMED: (3, 5),
    Seniority.SENIOR: (6, 10),
    Seniority.EXPERT: (11, 18),
}
SENIORITY_WEIGHTS = {
    Seniority.JUNIOR: 20,
    Seniority.CONFIRMED: 30,
    Seniority.SENIOR: 35,
    Seniority.EXPERT: 15,
}
CHANNEL_WEIGHTS = {
    Channel.LINKEDIN: 40,
    Channel.PORTAGE: 12,
    Channel.PLATFORM: 15,
    Channel.REFERRAL: 12,
    Channel.DIRECT: 10,
    Channel.JOB_BOARD: 8,
    Channel.OTHER: 3,
}
CHUNK = 2000


@dataclass
class PooledProfile:
    """What the mission builders need to know of a profile, without loading it."""

    pk: int
    name: str
    family: str
    seniority: str
    day_rate: int


@dataclass
class _Plan:
    candidate: Candidate
    family: catalogue.Family
    experiences: list = field(default_factory=list)  # (Experience, [skill names])
    projects: list = field(default_factory=list)  # (Project, [skill names])


def create_skills():
    """The catalogue's technologies by name, reusing those already recorded (any case)."""
    existing = {skill.name.lower(): skill for skill in Skill.objects.all()}
    Skill.objects.bulk_create(
        [
            Skill(name=name, category=category)
            for name, category in catalogue.SKILLS
            if name.lower() not in existing
        ]
    )
    by_name = {skill.name.lower(): skill for skill in Skill.objects.all()}
    return {name: by_name[name.lower()] for name, _ in catalogue.SKILLS}


def create_portage_companies():
    existing = set(PortageCompany.objects.values_list("name", flat=True))
    PortageCompany.objects.bulk_create(
        [PortageCompany(name=name) for name in catalogue.PORTAGE_COMPANIES if name not in existing]
    )
    return list(PortageCompany.objects.filter(name__in=catalogue.PORTAGE_COMPANIES))


def create_profiles(*, count, rng, today, skills, portage_companies, owners, keys):
    """Write `count` profiles with their careers; return them as `PooledProfile`s."""
    pool, emails = [], {}
    for start in range(0, count, CHUNK):
        plans = [
            _plan_profile(index, rng, today, portage_companies, owners, emails, keys)
            for index in range(start, min(start + CHUNK, count))
        ]
        _write(plans, skills, today, rng, keys)
        pool += [
            PooledProfile(
                p.candidate.pk,
                p.candidate.full_name,
                p.family.key,
                p.candidate.seniority,
                p.candidate.day_rate,
            )
            for p in plans
            # Archived profiles stay out of the pool the missions are staffed from.
            if p.candidate.archived_at is None
        ]
    return pool


def _pick_weighted(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _plan_profile(index, rng, today, portage_companies, owners, emails, keys):
    families = catalogue.FAMILIES
    # The first profiles go round the families, so even a small pool covers every kind.
    if index < 2 * len(families):
        family = families[index % len(families)]
    else:
        family = rng.choices(families, weights=[f.weight for f in families])[0]
    seniority = _pick_weighted(rng, SENIORITY_WEIGHTS)
    candidate = _identity(index, rng, today, family, seniority, emails)
    candidate.pk = keys(Candidate)  # before the experiences and projects that point at it
    _sourcing(candidate, rng, portage_companies)
    candidate.owner = owners[index % len(owners)]
    plan = _Plan(candidate=candidate, family=family)
    _plan_career(plan, rng, today)
    if seniority == Seniority.JUNIOR or rng.random() < 0.1:
        _plan_projects(plan, rng, junior=seniority == Seniority.JUNIOR)
    return plan


def _identity(index, rng, today, family, seniority, emails):
    first, last = rng.choice(catalogue.FIRST_NAMES), rng.choice(catalogue.LAST_NAMES)
    local = f"{ascii_slug(first)}.{ascii_slug(last)}"
    emails[local] = emails.get(local, 0) + 1
    suffix = emails[local] if emails[local] > 1 else ""
    low, high = RATE_RANGES[seniority]
    city = rng.choice(catalogue.CITIES)
    lead = seniority == Seniority.EXPERT or (seniority == Seniority.SENIOR and rng.random() < 0.3)
    headline = family.lead_headline if lead else family.headline
    if seniority == Seniority.JUNIOR:
        headline += " junior"
    on_mission = rng.random() < 0.6
    available_from = (
        today + timedelta(days=rng.randint(7, 120))
        if on_mission
        else today - timedelta(days=rng.randint(0, 30))
    )
    confirmed_days_ago = rng.choice([1, 3, 5, 8, 12, 16, 20, 30, 45, 60])
    created = moment(today, rng.randint(1, 540), rng.randint(8, 18))
    return Candidate(
        first_name=first,
        last_name=last,
        email=f"{local}{suffix}@example.net",
        phone=f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
        f"{rng.randint(10, 99)}",
        address=f"{rng.randint(1, 140)} {rng.choice(catalogue.STREETS)}, {city}",
        headline=headline,
        seniority=seniority,
        day_rate=rng.randrange(low, high + 1, 10),
        available_from=available_from,
        availability_confirmed_on=(
            today - timedelta(days=confirmed_days_ago) if rng.random() < 0.95 else None
        ),
        location=city,
        mobility=rng.choice(catalogue.MOBILITIES),
        remote_preference=rng.choices(
            [RemotePolicy.HYBRID, RemotePolicy.REMOTE, RemotePolicy.ON_SITE], weights=[60, 25, 15]
        )[0],
        languages=rng.choice(catalogue.LANGUAGES),
        consent_on=today - timedelta(days=rng.randint(10, 700)) if rng.random() < 0.95 else None,
        soft_skill_notes=rng.choice(catalogue.SOFT_SKILL_NOTES),
        internal_notes=rng.choice(catalogue.INTERNAL_NOTES),
        archived_at=moment(today, rng.randint(1, 90)) if rng.random() < 0.02 else None,
        created_at=created,
        updated_at=created,
    )


def _sourcing(candidate, rng, portage_companies):
    """Channel and legal form; a profile found through a portage company is in portage."""
    candidate.channel = _pick_weighted(rng, CHANNEL_WEIGHTS)
    if candidate.channel == Channel.PORTAGE or rng.random() < 0.08:
        candidate.legal_form = LegalForm.PORTAGE
        candidate.portage_company = rng.choice(portage_companies)
    else:
        candidate.legal_form = rng.choice([LegalForm.MICRO, LegalForm.COMPANY])


def _plan_career(plan, rng, today):
    """Experiences from the most recent backwards, until the career length is covered."""
    seniority = plan.candidate.seniority
    low, high = CAREER_YEARS[seniority]
    months_left = rng.randint(low, high) * 12 + rng.randint(0, 11)
    on_mission = plan.candidate.available_from > today
    end = None if on_mission else today - timedelta(days=rng.randint(5, 60))
    first = True
    while months_left > 0:
        length = min(
            months_left, rng.randint(6, 18) if seniority == "junior" else rng.randint(8, 36)
        )
        last_day = end or today
        start = (last_day - timedelta(days=30 * length)).replace(day=1)
        plan.experiences.append(
            (
                Experience(
                    candidate=plan.candidate,
                    company=rng.choice(catalogue.EMPLOYERS),
                    role=_role(plan, rng, first, months_left),
                    start=start,
                    end=end,
                    description=f"{rng.choice(catalogue.MISSION_CONTEXTS).capitalize()}.",
                ),
                _technologies(plan.family, rng),
            )
        )
        months_left -= length
        end = start - timedelta(days=rng.randint(1, 75))
        first = False


def _role(plan, rng, most_recent, months_left):
    role = rng.choice(plan.family.roles)
    if plan.candidate.seniority == Seniority.JUNIOR and months_left <= 12:
        return f"{role} (alternance)"
    if plan.candidate.seniority == Seniority.EXPERT and most_recent:
        return plan.family.lead_headline
    return role


def _technologies(family, rng):
    core = [name for i, name in enumerate(family.core) if i == 0 or rng.random() < 0.85]
    return core + rng.sample(family.extras, k=min(len(family.extras), rng.randint(1, 3)))


def _plan_projects(plan, rng, junior):
    for _ in range(rng.randint(1, 3) if junior else 1):
        context = rng.choice(
            [Project.Context.TRAINING, Project.Context.SCHOOL, Project.Context.PERSONAL]
            if junior
            else [Project.Context.OPEN_SOURCE, Project.Context.PERSONAL]
        )
        name = rng.choice(catalogue.PROJECT_IDEAS)
        login = ascii_slug(plan.candidate.first_name + plan.candidate.last_name, "")
        plan.projects.append(
            (
                Project(
                    candidate=plan.candidate,
                    name=name,
                    context=context,
                    duration_months=rng.randint(1, 8),
                    link=f"https://git.example.org/{login}/{ascii_slug(name, '-')}",
                    description=catalogue.PROJECT_CONTEXT_NOTES[context],
                ),
                _technologies(plan.family, rng),
            )
        )


def _write(plans, skills, today, rng, keys):
    insert_objects(Candidate, [p.candidate for p in plans])
    _write_with_technologies(Experience, [e for p in plans for e in p.experiences], skills, keys)
    _write_with_technologies(Project, [pr for p in plans for pr in p.projects], skills, keys)
    insert_rows(
        CandidateSkill,
        ["candidate", "skill", "level", "years", "project_years", "years_override"],
        [row for p in plans for row in _candidate_skills(p, skills, today, rng)],
    )


def _write_with_technologies(model, rows, skills, keys):
    for obj, _ in rows:
        obj.pk = keys(model)
    insert_objects(model, [obj for obj, _ in rows])
    links = {(obj.pk, skills[name].pk) for obj, names in rows for name in names}
    insert_rows(model.technologies.through, [model._meta.model_name, "skill"], sorted(links))


def _candidate_skills(plan, skills, today, rng):
    """(candidate, skill, level, years, project years, override) rows, computed as
    `refresh_skill_years` does: years from the experiences, years in projects apart (their
    durations added up); technologies seen only in projects count zero professional years."""
    periods = {}
    for experience, names in plan.experiences:
        # Each name once, in the order given: a set's order changes with the process's
        # string hashing, and so would the rows' keys for the same seed.
        for name in dict.fromkeys(names):
            periods.setdefault(name, []).append((experience.start, experience.end or today))
    project_months = {}
    for project, names in plan.projects:
        for name in dict.fromkeys(names):
            project_months[name] = project_months.get(name, 0) + project.duration_months
    in_projects = {
        name: (Decimal(months) / 12).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        for name, months in project_months.items()
    }
    rows = []
    for name, intervals in periods.items():
        years = (Decimal(_merged_months(intervals)) / 12).quantize(Decimal("0.1"))
        project_years = in_projects.get(name, Decimal(0))
        rows.append(
            (plan.candidate.pk, skills[name].pk, _level(years), years, project_years, False)
        )
    for name in sorted(set(in_projects) - set(periods)):
        level = rng.randint(1, 2)
        rows.append(
            (plan.candidate.pk, skills[name].pk, level, Decimal(0), in_projects[name], False)
        )
    return rows


def _level(years):
    if years < 1:
        return CandidateSkill.Level.PRACTICE
    if years < 3:
        return CandidateSkill.Level.AUTONOMOUS
    if years < 6:
        return CandidateSkill.Level.ADVANCED
    return CandidateSkill.Level.EXPERT
