"""The fixed vocabulary of the demo data: technologies, companies, names, places, role families.

Demo content is French on purpose (a French agency's data); it is data, not interface text.
"""

from dataclasses import dataclass

from candidates.models import SkillCategory

C = SkillCategory
SKILLS = [
    ("Python", C.LANGUAGE),
    ("Java", C.LANGUAGE),
    ("JavaScript", C.LANGUAGE),
    ("TypeScript", C.LANGUAGE),
    ("Kotlin", C.LANGUAGE),
    ("Swift", C.LANGUAGE),
    ("Go", C.LANGUAGE),
    ("PHP", C.LANGUAGE),
    ("C#", C.LANGUAGE),
    ("Scala", C.LANGUAGE),
    ("SQL", C.LANGUAGE),
    ("Django", C.BACKEND),
    ("FastAPI", C.BACKEND),
    ("Spring Boot", C.BACKEND),
    ("Node.js", C.BACKEND),
    ("Symfony", C.BACKEND),
    ("Laravel", C.BACKEND),
    (".NET", C.BACKEND),
    ("React", C.FRONTEND),
    ("Angular", C.FRONTEND),
    ("Vue.js", C.FRONTEND),
    ("Next.js", C.FRONTEND),
    ("PostgreSQL", C.DATA),
    ("Oracle", C.DATA),
    ("MongoDB", C.DATA),
    ("Spark", C.DATA),
    ("Kafka", C.DATA),
    ("Airflow", C.DATA),
    ("Data engineering", C.DATA),
    ("Power BI", C.DATA),
    ("Elasticsearch", C.DATA),
    ("Kubernetes", C.CLOUD),
    ("Docker", C.CLOUD),
    ("AWS", C.CLOUD),
    ("Azure", C.CLOUD),
    ("GCP", C.CLOUD),
    ("Terraform", C.CLOUD),
    ("Ansible", C.CLOUD),
    ("GitLab CI", C.CLOUD),
    ("Android", C.MOBILE),
    ("iOS", C.MOBILE),
    ("Flutter", C.MOBILE),
    ("Scrum", C.METHOD),
    ("Kanban", C.METHOD),
    ("SAFe", C.METHOD),
]

PORTAGE_COMPANIES = [
    "Azur Portage Salarial",
    "Cap Indépendants",
    "Hexa Portage",
    "Néo Portage Conseil",
    "Ouest Portage",
    "Portalia",
]


@dataclass(frozen=True)
class ClientSpec:
    name: str
    sector: str
    city: str
    address: str
    colour: str


# The eight clients of the story; Transalp (alice) and Brenner (bob) are the shared cast.
CLIENTS = [
    ClientSpec(
        "Transalp Logistique", "Logistique", "Lyon", "14 quai Perrache, 69002 Lyon", "#0d5c6e"
    ),
    ClientSpec(
        "Brenner Assurances", "Assurance", "Paris", "48 rue de Courcelles, 75008 Paris", "#7a2e4d"
    ),
    ClientSpec(
        "Banque Rhodanienne",
        "Banque",
        "Lyon",
        "3 place des Terreaux, 69001 Lyon",
        "#1f4e8c",
    ),
    ClientSpec(
        "Maison Verdier",
        "Distribution",
        "Bordeaux",
        "22 cours de l'Intendance, 33000 Bordeaux",
        "#2f6b3a",
    ),
    ClientSpec(
        "Helios Énergies", "Énergie", "Toulouse", "9 allée Jean Jaurès, 31000 Toulouse", "#b35c00"
    ),
    ClientSpec(
        "Agence Numérique Occitanie",
        "Secteur public",
        "Montpellier",
        "201 avenue de la Pompignane, 34000 Montpellier",
        "#5b3f8c",
    ),
    ClientSpec(
        "Atlantis Mutuelle",
        "Assurance santé",
        "Nantes",
        "5 rue Crébillon, 44000 Nantes",
        "#00707a",
    ),
    ClientSpec(
        "Ferrovia Fret",
        "Transport ferroviaire",
        "Lille",
        "61 rue Nationale, 59000 Lille",
        "#8c2f1f",
    ),
]

# Extra clients for large data sets: a prefix and a suffix give plausible company names.
CLIENT_NAME_PARTS = (
    [
        "Alpes",
        "Armor",
        "Atlas",
        "Boréal",
        "Cévennes",
        "Corail",
        "Garonne",
        "Horizon",
        "Iroise",
        "Jura",
        "Loire",
        "Lumen",
        "Meridia",
        "Mistral",
        "Orion",
        "Provence",
        "Quartz",
        "Saphir",
        "Vauban",
        "Vercors",
    ],
    [
        "Assurances",
        "Banque",
        "Distribution",
        "Énergies",
        "Logistique",
        "Mutuelle",
        "Santé",
        "Télécom",
        "Transports",
        "Industrie",
        "Services",
        "Immobilier",
    ],
)
SECTOR_OF_SUFFIX = {
    "Assurances": "Assurance",
    "Banque": "Banque",
    "Distribution": "Distribution",
    "Énergies": "Énergie",
    "Logistique": "Logistique",
    "Mutuelle": "Assurance santé",
    "Santé": "Santé",
    "Télécom": "Télécommunications",
    "Transports": "Transport",
    "Industrie": "Industrie",
    "Services": "Services",
    "Immobilier": "Immobilier",
}

CITIES = [
    "Paris",
    "Lyon",
    "Marseille",
    "Toulouse",
    "Nantes",
    "Bordeaux",
    "Lille",
    "Rennes",
    "Grenoble",
    "Montpellier",
    "Strasbourg",
    "Nice",
    "Aix-en-Provence",
    "Sophia Antipolis",
]
MOBILITIES = [
    "Île-de-France",
    "Sa région uniquement",
    "France entière",
    "Grandes métropoles",
    "Télétravail uniquement",
    "Déplacements ponctuels acceptés",
]
STREETS = [
    "rue de la République",
    "avenue Jean Jaurès",
    "rue Victor Hugo",
    "boulevard Gambetta",
    "rue du Général de Gaulle",
    "place de la Liberté",
    "rue Pasteur",
    "allée des Tilleuls",
]
LANGUAGES = [
    "Français (natif), anglais (courant)",
    "Français (natif), anglais (professionnel)",
    "Français (natif), anglais (courant), espagnol (intermédiaire)",
    "Français (courant), anglais (natif)",
    "Français (natif), anglais (lu, écrit), allemand (notions)",
]

FIRST_NAMES = [
    "Camille", "Lucas", "Léa", "Hugo", "Manon", "Louis", "Chloé", "Nathan", "Emma", "Théo",
    "Inès", "Julien", "Sarah", "Maxime", "Clara", "Antoine", "Jade", "Romain", "Zoé", "Nicolas",
    "Laura", "Alexandre", "Pauline", "Thomas", "Marion", "Quentin", "Anaïs", "Mehdi", "Yasmine",
    "Karim", "Sofia", "Baptiste", "Mathilde", "Guillaume", "Océane", "Florian", "Amandine",
    "Adrien", "Lucie", "Kevin", "Charlotte", "Rémi", "Élise", "Samir", "Nadia", "Vincent",
    "Margaux", "Benjamin", "Justine", "Olivier", "Aurélie", "Sébastien", "Émilie", "Damien",
    "Fatou", "Jérémy", "Caroline", "Arnaud", "Hélène", "Yann",
]  # fmt: skip
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet",
    "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin",
    "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier",
    "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Masson", "Sanchez", "Benali", "Nguyen",
    "Diallo", "Haddad", "Kowalski", "Le Gall", "Tran", "Ferreira", "Brunet",
]  # fmt: skip

# Companies of past experiences (fictional).
EMPLOYERS = [
    "Groupe Altaïr",
    "Banque du Léman",
    "Assurances du Littoral",
    "Cargo Express",
    "Orbital Télécom",
    "Mistral Retail",
    "Viaduc Mobilités",
    "Lumen Énergie",
    "Datavia",
    "Pixelia Studio",
    "Santé Connect",
    "Caisse Régionale Sud",
    "Ministère (projet interne)",
    "Collectivité territoriale",
    "Start-up fintech",
    "ESN Nexio",
    "ESN Calyxis",
    "Éditeur SaaS RH",
    "Place de marché e-commerce",
    "Opérateur de réseau électrique",
    "Constructeur automobile",
    "Groupe hôtelier",
]


@dataclass(frozen=True)
class Family:
    """A kind of freelance profile: its headline, the skills it always has, those it may have."""

    key: str
    headline: str
    lead_headline: str
    core: tuple
    extras: tuple
    roles: tuple
    weight: int


FAMILIES = [
    Family(
        "python",
        "Développeur Python / Django",
        "Tech lead Python / Django",
        ("Python", "Django"),
        ("PostgreSQL", "FastAPI", "Docker", "AWS", "React", "GitLab CI", "Elasticsearch"),
        ("Développeur back-end Python", "Développeur Django", "Développeur full-stack Python"),
        12,
    ),
    Family(
        "java",
        "Développeur Java / Spring Boot",
        "Architecte Java / Spring",
        ("Java", "Spring Boot"),
        ("PostgreSQL", "Oracle", "Kafka", "Docker", "Kubernetes", "Angular", "SQL"),
        ("Développeur Java", "Développeur back-end Java", "Référent technique Java"),
        14,
    ),
    Family(
        "react",
        "Développeur front-end React / TypeScript",
        "Lead front-end React",
        ("React", "TypeScript", "JavaScript"),
        ("Next.js", "Node.js", "GitLab CI", "Docker"),
        ("Développeur front-end", "Développeur React", "Intégrateur front-end"),
        10,
    ),
    Family(
        "angular",
        "Développeur Angular / TypeScript",
        "Lead front-end Angular",
        ("Angular", "TypeScript", "JavaScript"),
        ("Java", "Spring Boot", "Node.js", "GitLab CI"),
        ("Développeur Angular", "Développeur front-end", "Développeur full-stack"),
        8,
    ),
    Family(
        "node",
        "Développeur full-stack Node.js / Vue.js",
        "Tech lead JavaScript",
        ("Node.js", "JavaScript", "Vue.js"),
        ("TypeScript", "MongoDB", "PostgreSQL", "Docker", "AWS"),
        ("Développeur full-stack JavaScript", "Développeur Node.js"),
        7,
    ),
    Family(
        "php",
        "Développeur PHP / Symfony",
        "Lead développeur PHP / Symfony",
        ("PHP", "Symfony"),
        ("Laravel", "Vue.js", "PostgreSQL", "Docker", "SQL"),
        ("Développeur PHP", "Développeur Symfony", "Développeur back-end PHP"),
        7,
    ),
    Family(
        "devops",
        "Ingénieur DevOps / SRE Kubernetes",
        "Architecte cloud / DevOps",
        ("Kubernetes", "Docker", "Terraform"),
        ("AWS", "Azure", "GCP", "Ansible", "GitLab CI", "Python", "Go"),
        ("Ingénieur DevOps", "Ingénieur SRE", "Ingénieur cloud"),
        9,
    ),
    Family(
        "dotnet",
        "Développeur .NET / Azure",
        "Architecte .NET / Azure",
        ("C#", ".NET"),
        ("Azure", "Angular", "SQL", "Docker", "React"),
        ("Développeur .NET", "Développeur C#", "Développeur full-stack .NET"),
        7,
    ),
    Family(
        "data",
        "Data engineer Spark / Python",
        "Architecte data",
        ("Python", "Spark", "Data engineering"),
        ("Airflow", "Kafka", "AWS", "Scala", "SQL", "GCP", "Power BI"),
        ("Data engineer", "Ingénieur big data", "Développeur data"),
        9,
    ),
    Family(
        "mobile",
        "Développeur mobile Android / iOS",
        "Lead mobile",
        ("Kotlin", "Android"),
        ("Swift", "iOS", "Flutter", "GitLab CI"),
        ("Développeur Android", "Développeur mobile", "Développeur iOS"),
        6,
    ),
    Family(
        "go",
        "Développeur Go / microservices",
        "Tech lead Go",
        ("Go",),
        ("Kubernetes", "Docker", "PostgreSQL", "Kafka", "GCP"),
        ("Développeur Go", "Développeur back-end", "Ingénieur logiciel"),
        4,
    ),
    Family(
        "agile",
        "Scrum Master / coach agile",
        "Coach agile d'organisation",
        ("Scrum",),
        ("Kanban", "SAFe"),
        ("Scrum Master", "Coach agile", "Product owner"),
        5,
    ),
]
FAMILY_BY_KEY = {family.key: family for family in FAMILIES}

# Juniors show what they built in training, at school or on their own time.
PROJECT_IDEAS = [
    "Application de gestion de bibliothèque",
    "Plateforme de covoiturage étudiant",
    "Bot Discord de révision",
    "Clone de Trello",
    "API de suivi de colis",
    "Tableau de bord de qualité de l'air",
    "Site vitrine d'une association",
    "Jeu de plateau en ligne",
    "Application de recettes de cuisine",
    "Outil de réservation de salles",
]
PROJECT_CONTEXT_NOTES = {
    "training": "Projet de fin de formation (bootcamp, 3 personnes).",
    "school": "Projet d'école d'ingénieurs, équipe de 4, méthode Scrum.",
    "personal": "Projet personnel, code publié.",
    "open_source": "Contributions à un projet open source.",
}

SOFT_SKILL_NOTES = [
    "Très bon relationnel, à l'aise avec les métiers.",
    "Rigoureux, documente beaucoup ; un peu réservé au premier contact.",
    "Force de proposition, aime transmettre aux plus juniors.",
    "Autonome, habitué aux équipes distribuées.",
    "Pédagogue, bonne expression écrite et orale.",
    "",
]
INTERNAL_NOTES = [
    "Tarif négociable de 20 à 30 €/j pour une mission longue.",
    "Préfère deux jours de télétravail par semaine minimum.",
    "À relancer avant la fin de sa mission actuelle.",
    "Recommandé par un ancien client, très bon retour.",
    "Ne souhaite pas travailler dans la défense.",
    "",
    "",
]

MISSION_CONTEXTS = [
    "refonte du portail clients",
    "migration vers le cloud",
    "nouvelle plateforme de paiement",
    "modernisation d'une application historique",
    "application mobile grand public",
    "plateforme de données groupe",
    "outil interne de pilotage",
    "API partenaires",
]
