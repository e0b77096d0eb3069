"""Fifteen missions of the eight story clients, one function each, covering every state.

Day numbers count back from today (negative: days to come). Each line is one click of a
recruiter or a client, played through the rule functions by `Story`.
"""

from candidates.models import RemotePolicy, Seniority
from interviews.models import Verdict
from missions.models import FailureCause, MissionState, TechnicalTest

JUNIOR, CONFIRMED, SENIOR, EXPERT = (
    Seniority.JUNIOR,
    Seniority.CONFIRMED,
    Seniority.SENIOR,
    Seniority.EXPERT,
)
VISIO = "https://visio.example.com/"


def tell(story):
    """Play every mission's story; return the missions."""
    placed = brenner_java_filled(story)
    return [
        placed.mission,
        transalp_python_interviewing(story),
        transalp_devops_draft_from_portal(story),
        atlantis_java_interviewing(story, placed.candidate),
        brenner_data_shortlist_sent(story),
        rhodanienne_angular_third_interview(story),
        rhodanienne_azure_on_hold(story),
        verdier_php_open(story),
        verdier_mobile_cancelled(story),
        helios_devops_open_empty(story),
        helios_go_lost(story),
        occitanie_scrum_filled(story),
        occitanie_python_junior_open(story),
        atlantis_fullstack_shortlist_sent(story),
        ferrovia_dotnet_draft(story),
    ]


def transalp_python_interviewing(s):
    """A full shortlist (4 / 4): one profile declined and replaced, interviews coming."""
    m = s.mission(
        40,
        client="Transalp Logistique",
        owner=s.recruiter,
        title="Développeur Python / Django senior — portail transporteurs",
        description="Refonte du portail de suivi des transporteurs : API Django REST, "
        "back-office, échanges EDI. Équipe de 6 personnes, méthode Scrum.",
        seniority=SENIOR,
        budget=650,
        duration_months=6,
        remote_policy=RemotePolicy.HYBRID,
        technical_test=TechnicalTest.GENERIC,
        required=[("Python", 4), ("Django", 3), ("PostgreSQL", 2)],
        nice=["Docker", "React"],
        start_in=21,
    )
    s.open(m, 39)
    a = s.shortlist(m, 37, family="python", seniorities=(SENIOR, EXPERT), max_rate=620)
    b = s.shortlist(m, 37, family="python", seniorities=(SENIOR,), max_rate=640)
    c = s.shortlist(m, 36, family="python", seniorities=(EXPERT,), min_rate=700)
    s.send(m, 35)
    s.decline(c, 33, FailureCause.RATE_TOO_HIGH, "Au-dessus de notre budget, même en expert.")
    s.request(a, 32, "Mardi ou jeudi après-midi")
    first = s.schedule(
        a,
        31,
        on=28,
        kind="technical",
        video_link=VISIO + "transalp-tech",
        client_interviewers="Alice Moreau ; lead développeur",
    )
    s.feedback(
        first,
        28,
        verdict=Verdict.GO,
        hard=4,
        soft=4,
        hard_skills_notes="Très à l'aise avec l'ORM Django et les migrations ; teste son code.",
        soft_skills_notes="Clair, pose les bonnes questions métier.",
        summary="Entretien technique concluant : à présenter au responsable d'exploitation.",
    )
    s.request(b, 27, "Semaine prochaine, le matin")
    s.shortlist(m, 20, family="python", seniorities=(SENIOR, CONFIRMED), max_rate=600)
    s.send(m, 19)
    s.shortlist(m, 10, family="python", seniorities=(CONFIRMED,))
    s.schedule(
        a,
        5,
        on=-2,
        hour=10,
        kind="final",
        client_interviewers="Alice Moreau ; responsable d'exploitation",
    )
    s.schedule(b, 3, on=-1, kind="technical", video_link=VISIO + "transalp-b")
    return m


def transalp_devops_draft_from_portal(s):
    """A rough demand alice typed in the portal: a draft for a recruiter to qualify."""
    client = s.clients["Transalp Logistique"]
    alice = s.contacts[client.pk][0].user
    return s.mission(
        2,
        client=client.name,
        owner=client.owner,
        by=alice,
        submitted_by=alice,
        title="Renfort DevOps pour migrer nos applications vers Kubernetes",
        description="Nous migrons nos applications d'exploitation vers Kubernetes d'ici l'été. "
        "Besoin d'une personne expérimentée, dès que possible. Budget à voir avec vous.",
        seniority=SENIOR,
        required=[("Kubernetes", 3)],
        start_in=None,
    )


def brenner_java_filled(s):
    """Four profiles, a coding game, two rounds of interviews, one selected."""
    m = s.mission(
        120,
        client="Brenner Assurances",
        owner=s.thomas,
        title="Tech lead Java / Spring Boot — moteur de tarification",
        description="Reprise du moteur de tarification auto et habitation : Spring Boot, "
        "Kafka, Oracle. Encadrement de 4 développeurs.",
        seniority=EXPERT,
        budget=850,
        duration_months=12,
        remote_policy=RemotePolicy.HYBRID,
        technical_test=TechnicalTest.SPECIFIC,
        technical_test_details="CodinGame Java, 90 minutes",
        required=[("Java", 8), ("Spring Boot", 5), ("Kafka", 2)],
        nice=["Kubernetes", "Angular"],
        start_in=-85,
    )
    s.open(m, 119)
    a = s.shortlist(m, 116, family="java", seniorities=(EXPERT,), max_rate=800)
    b = s.shortlist(m, 116, family="java", seniorities=(SENIOR, EXPERT), max_rate=780)
    c = s.shortlist(m, 116, family="java", seniorities=(EXPERT,))
    d = s.shortlist(m, 115, family="java", seniorities=(SENIOR,))
    s.send(m, 115)
    s.decline(c, 112, FailureCause.AVAILABILITY, "Démarrage trop tardif pour notre calendrier.")
    for entry in (a, b, d):
        s.request(entry, 111, "Dès que possible")
    test = s.schedule(
        a, 110, on=107, kind="test", duration_minutes=90, video_link=VISIO + "brenner-codingame"
    )
    b1 = s.schedule(b, 110, on=106, kind="technical", video_link=VISIO + "brenner-b")
    d1 = s.schedule(d, 110, on=105, kind="technical", video_link=VISIO + "brenner-d")
    s.feedback(
        test,
        107,
        verdict=Verdict.GO,
        hard=5,
        soft=4,
        test_score=86,
        test_passed=True,
        hard_skills_notes="86 % au CodinGame, code lisible et testé.",
    )
    s.feedback(
        b1,
        106,
        verdict=Verdict.NO_GO,
        hard=2,
        soft=3,
        causes=[FailureCause.TECHNICAL_LEVEL],
        hard_skills_notes="Peu d'expérience de Kafka en production.",
        failure_notes="Le client attend un vrai référent Kafka.",
    )
    s.feedback(
        d1,
        105,
        verdict=Verdict.UNDECIDED,
        hard=4,
        soft=2,
        causes=[FailureCause.SOFT_SKILLS],
        soft_skills_notes="Réponses très brèves, peu d'échanges avec l'équipe.",
    )
    s.not_retained(b, 104, FailureCause.TECHNICAL_LEVEL, "Niveau Kafka insuffisant.")
    final = s.schedule(a, 103, on=99, kind="final", client_interviewers="Bob Durand ; DSI")
    d2 = s.schedule(d, 103, on=100, kind="client", client_interviewers="Bob Durand")
    s.feedback(
        d2,
        100,
        verdict=Verdict.NO_GO,
        hard=4,
        soft=2,
        causes=[FailureCause.SOFT_SKILLS],
        failure_notes="Le client craint une intégration difficile dans l'équipe.",
    )
    s.feedback(
        final,
        99,
        verdict=Verdict.GO,
        hard=5,
        soft=5,
        summary="Le client souhaite démarrer au plus vite.",
    )
    s.select(a, 97, note="Démarrage le 1er du mois prochain.")
    return a


def atlantis_java_interviewing(s, placed_candidate):
    """The profile placed at Brenner withdraws here (R6); another one is interviewed soon."""
    m = s.mission(
        118,
        client="Atlantis Mutuelle",
        owner=s.thomas,
        title="Développeur Java / Spring Boot — gestion des contrats",
        description="Évolution de l'application de gestion des contrats santé collective.",
        seniority=SENIOR,
        budget=720,
        duration_months=9,
        remote_policy=RemotePolicy.REMOTE,
        required=[("Java", 5), ("Spring Boot", 3)],
        nice=["PostgreSQL", "Angular"],
        start_in=10,
    )
    s.open(m, 117)
    x = s.shortlist(m, 113, family="java", seniorities=(), candidate=placed_candidate)
    y = s.shortlist(m, 113, family="java", seniorities=(SENIOR,), max_rate=700)
    s.send(m, 112)
    s.request(x, 110, "Jeudi matin")
    first = s.schedule(x, 109, on=104, kind="technical", video_link=VISIO + "atlantis-x")
    s.feedback(first, 104, verdict=Verdict.GO, hard=5, soft=4)
    s.withdraw(
        x,
        96,
        FailureCause.CANDIDATE_WITHDREW,
        "A accepté la mission de Brenner Assurances.",
    )
    s.request(y, 30, "En fin de semaine")
    s.schedule(y, 4, on=-3, kind="client", video_link=VISIO + "atlantis-y")
    return m


def brenner_data_shortlist_sent(s):
    """Three profiles waiting for bob's answer for a week; a fourth one still a draft."""
    m = s.mission(
        14,
        client="Brenner Assurances",
        owner=s.thomas,
        title="Data engineer Spark / Airflow — entrepôt des sinistres",
        description="Industrialisation des flux de données sinistres vers le lac de données.",
        seniority=SENIOR,
        budget=700,
        duration_months=6,
        remote_policy=RemotePolicy.HYBRID,
        required=[("Spark", 3), ("Python", 4), ("Airflow", 2)],
        nice=["AWS", "Kafka"],
        start_in=35,
    )
    s.open(m, 13)
    for _ in range(3):
        s.shortlist(m, 9, family="data", seniorities=(SENIOR, EXPERT), max_rate=680)
    s.send(m, 8)
    s.shortlist(m, 6, family="data", seniorities=(CONFIRMED, SENIOR))
    return m


def rhodanienne_angular_third_interview(s):
    """Interview 3 of 3 tomorrow; a cancelled interview, a no-show, a profile not retained."""
    m = s.mission(
        60,
        client="Banque Rhodanienne",
        owner=s.recruiter,
        title="Développeur Angular / TypeScript confirmé — espace client",
        description="Nouvelles fonctionnalités de l'espace client web de la banque.",
        seniority=CONFIRMED,
        budget=560,
        duration_months=12,
        remote_policy=RemotePolicy.HYBRID,
        technical_test=TechnicalTest.GENERIC,
        required=[("Angular", 3), ("TypeScript", 2)],
        nice=["Java", "Spring Boot"],
        start_in=5,
    )
    s.open(m, 59)
    a = s.shortlist(m, 57, family="angular", seniorities=(CONFIRMED,), max_rate=540)
    b = s.shortlist(m, 57, family="angular", seniorities=(CONFIRMED, SENIOR), max_rate=560)
    c = s.shortlist(m, 57, family="angular", seniorities=(CONFIRMED,))
    s.send(m, 56)
    s.request(a, 54, "Lundi ou mardi")
    s.request(b, 54, "Mercredi à 10 h")
    s.decline(c, 54, FailureCause.LOCATION, "Quatre jours sur site : trop peu de télétravail.")
    a1 = s.schedule(a, 53, on=50, kind="technical", video_link=VISIO + "rhodanienne-a")
    b1 = s.schedule(b, 53, on=48, kind="technical", video_link=VISIO + "rhodanienne-b")
    s.feedback(
        a1,
        50,
        verdict=Verdict.UNDECIDED,
        hard=3,
        soft=4,
        hard_skills_notes="Bases solides, RxJS à consolider.",
    )
    s.cancel_interview(b1, 49, "Reporté à la demande du client.")
    a2 = s.schedule(a, 49, on=45, kind="test", video_link=VISIO + "rhodanienne-test")
    s.feedback(a2, 45, verdict=Verdict.GO, hard=4, soft=4, test_score=78, test_passed=True)
    b1_again = s.schedule(b, 47, on=42, kind="technical", video_link=VISIO + "rhodanienne-b")
    s.no_show(b1_again, 42, "Ne s'est pas connecté ; a prévenu d'un imprévu une heure après.")
    b2 = s.schedule(b, 40, on=35, kind="client")
    s.feedback(
        b2,
        35,
        verdict=Verdict.NO_GO,
        hard=3,
        soft=2,
        causes=[FailureCause.SOFT_SKILLS, FailureCause.AVAILABILITY],
        failure_notes="Absent au premier rendez-vous, communication difficile.",
    )
    s.not_retained(b, 34, FailureCause.SOFT_SKILLS, "Le client ne souhaite pas poursuivre.")
    s.schedule(
        a, 6, on=-1, hour=11, kind="final", client_interviewers="Directeur des canaux digitaux"
    )
    return m


def rhodanienne_azure_on_hold(s):
    m = s.mission(
        30,
        client="Banque Rhodanienne",
        owner=s.thomas,
        title="Architecte cloud Azure — socle d'hébergement",
        description="Conception du socle Azure (landing zone) et industrialisation Terraform.",
        seniority=EXPERT,
        budget=900,
        duration_months=6,
        remote_policy=RemotePolicy.HYBRID,
        required=[("Azure", 5), ("Terraform", 3)],
        nice=["Kubernetes", ".NET"],
        start_in=45,
    )
    s.open(m, 29)
    s.shortlist(m, 27, family="devops", seniorities=(EXPERT,))
    s.shortlist(m, 27, family="dotnet", seniorities=(EXPERT, SENIOR))
    s.move(m, 21, MissionState.ON_HOLD, "Gel budgétaire jusqu'au prochain comité d'investissement.")
    return m


def verdier_php_open(s):
    """Two reports written, ready to send; one rate is above the budget (R7 warning kept)."""
    m = s.mission(
        8,
        client="Maison Verdier",
        owner=s.recruiter,
        title="Développeur PHP / Symfony — site e-commerce",
        description="Évolutions du tunnel de commande et du back-office produits.",
        seniority=CONFIRMED,
        budget=520,
        duration_months=4,
        remote_policy=RemotePolicy.REMOTE,
        technical_test=TechnicalTest.SPECIFIC,
        technical_test_details="Exercice Symfony à rendre sous 48 h",
        required=[("PHP", 3), ("Symfony", 2)],
        nice=["Vue.js", "Docker"],
        start_in=20,
    )
    s.open(m, 7)
    s.shortlist(m, 4, family="php", seniorities=(CONFIRMED,), max_rate=500)
    s.shortlist(m, 4, family="php", seniorities=(SENIOR,), min_rate=560)
    return m


def verdier_mobile_cancelled(s):
    m = s.mission(
        75,
        client="Maison Verdier",
        owner=s.thomas,
        title="Développeur mobile Kotlin / Swift — application fidélité",
        description="Application de fidélité iOS et Android.",
        seniority=SENIOR,
        budget=650,
        duration_months=6,
        remote_policy=RemotePolicy.HYBRID,
        required=[("Kotlin", 3), ("Android", 3)],
        nice=["Swift", "iOS", "Flutter"],
        start_in=-20,
    )
    s.open(m, 74)
    s.shortlist(m, 70, family="mobile", seniorities=(SENIOR,))
    s.shortlist(m, 70, family="mobile", seniorities=(SENIOR, EXPERT))
    s.send(m, 69)
    s.move(m, 60, MissionState.CANCELLED, "Projet reporté par le client à l'an prochain.")
    return m


def helios_devops_open_empty(s):
    """Just opened: nobody shortlisted yet — the matching page's starting point."""
    m = s.mission(
        3,
        client="Helios Énergies",
        owner=s.recruiter,
        title="Ingénieur DevOps Kubernetes / Terraform",
        description="Mise en place de la plateforme Kubernetes des applications de pilotage.",
        seniority=SENIOR,
        budget=720,
        duration_months=8,
        remote_policy=RemotePolicy.HYBRID,
        required=[("Kubernetes", 3), ("Terraform", 2)],
        nice=["AWS", "GitLab CI", "Ansible"],
        start_in=30,
    )
    s.open(m, 2)
    return m


def helios_go_lost(s):
    m = s.mission(
        90,
        client="Helios Énergies",
        owner=s.thomas,
        title="Développeur Go — plateforme IoT des compteurs",
        description="Collecte et traitement des relevés de compteurs connectés.",
        seniority=SENIOR,
        budget=680,
        duration_months=6,
        remote_policy=RemotePolicy.REMOTE,
        required=[("Go", 3), ("Kubernetes", 2)],
        nice=["Kafka", "PostgreSQL"],
        start_in=-40,
    )
    s.open(m, 89)
    a = s.shortlist(m, 85, family="go", seniorities=(SENIOR, EXPERT))
    s.shortlist(m, 85, family="go", seniorities=(SENIOR, CONFIRMED))
    s.send(m, 84)
    s.request(a, 80, "Mardi 14 h")
    first = s.schedule(a, 79, on=76, kind="technical", video_link=VISIO + "helios-go")
    s.feedback(first, 76, verdict=Verdict.GO, hard=4, soft=4)
    s.move(m, 70, MissionState.LOST, "Le client a retenu un autre cabinet, moins cher.")
    return m


def occitanie_scrum_filled(s):
    m = s.mission(
        150,
        client="Agence Numérique Occitanie",
        owner=s.recruiter,
        title="Scrum Master — transformation agile des équipes",
        description="Accompagnement de trois équipes produit vers Scrum.",
        seniority=SENIOR,
        budget=600,
        duration_months=12,
        remote_policy=RemotePolicy.HYBRID,
        required=[("Scrum", 4)],
        nice=["SAFe", "Kanban"],
        start_in=-120,
    )
    s.open(m, 149)
    a = s.shortlist(m, 147, family="agile", seniorities=(SENIOR, EXPERT), max_rate=600)
    s.shortlist(m, 147, family="agile", seniorities=(SENIOR, CONFIRMED))
    s.send(m, 146)
    s.request(a, 144, "Jeudi")
    first = s.schedule(a, 143, on=140, kind="client")
    s.feedback(first, 140, verdict=Verdict.GO, hard=4, soft=5)
    s.select(
        a,
        139,
        lacking=["insurance"],
        exception="Attestation RC Pro en cours de renouvellement chez l'assureur, promise "
        "sous huit jours ; le client démarre lundi.",
    )
    return m


def occitanie_python_junior_open(s):
    """A junior mission: the shortlisted profile is judged on training and projects."""
    m = s.mission(
        6,
        client="Agence Numérique Occitanie",
        owner=s.recruiter,
        title="Développeur Python junior — outils internes",
        description="Petits outils internes (Django), encadré par un développeur senior.",
        seniority=JUNIOR,
        budget=420,
        duration_months=6,
        remote_policy=RemotePolicy.ON_SITE,
        required=[("Python", 0), ("Django", 0)],
        nice=["PostgreSQL"],
        start_in=25,
    )
    s.open(m, 5)
    s.shortlist(m, 3, family="python", seniorities=(JUNIOR,), max_rate=400)
    return m


def atlantis_fullstack_shortlist_sent(s):
    m = s.mission(
        12,
        client="Atlantis Mutuelle",
        owner=s.recruiter,
        title="Développeur full-stack React / Node.js — espace adhérent",
        description="Refonte de l'espace adhérent web.",
        seniority=CONFIRMED,
        budget=560,
        duration_months=6,
        remote_policy=RemotePolicy.REMOTE,
        required=[("React", 2), ("Node.js", 2)],
        nice=["TypeScript", "PostgreSQL"],
        start_in=28,
    )
    s.open(m, 11)
    a = s.shortlist(m, 9, family="react", seniorities=(CONFIRMED, SENIOR), max_rate=560)
    s.shortlist(m, 9, family="node", seniorities=(CONFIRMED,))
    s.send(m, 8)
    s.request(a, 5, "Vendredi matin")
    return m


def ferrovia_dotnet_draft(s):
    return s.mission(
        1,
        client="Ferrovia Fret",
        owner=s.thomas,
        title="Développeur .NET / Azure — suivi des wagons",
        description="À qualifier avec le client : périmètre et budget.",
        seniority=SENIOR,
        required=[("C#", 4), (".NET", 4)],
        nice=["Azure"],
        start_in=None,
    )
