"""The demo's people: staff users, client companies and their contacts."""

import re
import unicodedata
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from demo import catalogue
from demo.clock import moment
from demo.rows import insert_objects
from missions.models import Client, ClientContact
from staffing import access

DEMO_PASSWORD = "demo"  # noqa: S105 — printed at the end; the command refuses to run unless DEBUG


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    client: str = ""
    job_title: str = ""


DEMO_USERS = [
    DemoUser("admin", "Nadia", "Benali", access.ADMIN),
    DemoUser("recruiter", "Élodie", "Martin", access.RECRUITER),
    DemoUser("thomas", "Thomas", "Girard", access.RECRUITER),
    DemoUser(
        "alice", "Alice", "Moreau", access.CLIENT_CONTACT, "Transalp Logistique", "DSI adjointe"
    ),
    DemoUser(
        "bob", "Bob", "Durand", access.CLIENT_CONTACT, "Brenner Assurances", "Responsable études"
    ),
]
DEMO_USERNAMES = [user.username for user in DEMO_USERS]
CONTACT_TITLES = ["DSI", "CTO", "Responsable études", "Chef de projet", "Directrice technique"]


def ascii_slug(text, separator="."):
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return separator.join(plain.lower().replace("'", " ").split())


def city_of(client):
    """The city that ends a client's address ("14 quai Perrache, 69002 Lyon" gives Lyon)."""
    return re.sub(r"^\d+\s*", "", client.address.rsplit(", ", 1)[-1])


def email_domain(client_name):
    return f"{ascii_slug(client_name, '-')}.example"


def create_staff():
    """Admin and recruiters, by username; their password is `demo`."""
    User = get_user_model()
    groups = {group.name: group for group in Group.objects.filter(name__in=access.ROLES)}
    password = make_password(DEMO_PASSWORD)
    users = {}
    for spec in DEMO_USERS:
        if spec.role == access.CLIENT_CONTACT:
            continue
        is_admin = spec.role == access.ADMIN
        user = User.objects.create(
            username=spec.username,
            first_name=spec.first_name,
            last_name=spec.last_name,
            email=f"{ascii_slug(spec.first_name)}.{ascii_slug(spec.last_name)}@agence.example",
            password=password,
            is_staff=is_admin,
            is_superuser=is_admin,
        )
        user.groups.add(groups[spec.role])
        users[spec.username] = user
    return users


def create_clients(*, count, rng, today, owners, keys):
    """The story's eight clients, then generated ones up to `count`, with 1 to 3 contacts each.

    Returns (clients, contacts by client id, demo contact users by username).
    """
    specs = list(catalogue.CLIENTS)
    specs += _generated_client_specs(count - len(specs), rng)
    clients = [
        Client(
            pk=keys(Client),
            name=spec.name,
            sector=spec.sector,
            address=spec.address,
            brand_colour=spec.colour,
            owner=owners[index % len(owners)],
            created_at=moment(today, rng.randint(200, 720)),
            notes="Client historique de l'agence." if index < 3 else "",
        )
        for index, spec in enumerate(specs)
    ]
    insert_objects(Client, clients)
    contacts, demo_contacts = _create_contacts(clients, rng)
    return clients, contacts, demo_contacts


def _generated_client_specs(count, rng):
    prefixes, suffixes = catalogue.CLIENT_NAME_PARTS
    specs, used = [], {spec.name for spec in catalogue.CLIENTS}
    while len(specs) < count:
        suffix = rng.choice(suffixes)
        name = f"{rng.choice(prefixes)} {suffix}"
        if name in used:
            name = f"{name} {len(specs) + 1}"
        used.add(name)
        city = rng.choice(catalogue.CITIES)
        specs.append(
            catalogue.ClientSpec(
                name,
                catalogue.SECTOR_OF_SUFFIX[suffix],
                city,
                f"{rng.randint(1, 120)} {rng.choice(catalogue.STREETS)}, {city}",
                f"#{rng.randrange(0x202020, 0x707070):06x}",
            )
        )
    return specs


def _create_contacts(clients, rng):
    """Contacts log in with their email as username (as invited contacts do)."""
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)
    demo_by_client = {spec.client: spec for spec in DEMO_USERS if spec.client}
    planned = []  # (client, user, job title)
    for client in clients:
        domain = email_domain(client.name)
        spec = demo_by_client.get(client.name)
        if spec:
            user = User(
                username=spec.username,
                first_name=spec.first_name,
                last_name=spec.last_name,
                email=f"{ascii_slug(spec.first_name)}.{ascii_slug(spec.last_name)}@{domain}",
                password=password,
            )
            planned.append((client, user, spec.job_title))
        for _ in range(rng.randint(1, 3) - (1 if spec else 0)):
            first, last = rng.choice(catalogue.FIRST_NAMES), rng.choice(catalogue.LAST_NAMES)
            email = f"{ascii_slug(first)}.{ascii_slug(last)}@{domain}"
            if any(email == planned_user.email for _, planned_user, _ in planned[-3:]):
                continue
            user = User(
                username=email, first_name=first, last_name=last, email=email, password=password
            )
            planned.append((client, user, rng.choice(CONTACT_TITLES)))
    users = User.objects.bulk_create([user for _, user, _ in planned], batch_size=1000)
    group = Group.objects.get(name=access.CLIENT_CONTACT)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=user.pk, group_id=group.pk) for user in users],
        batch_size=1000,
    )
    contact_rows = ClientContact.objects.bulk_create(
        [
            ClientContact(
                user=user,
                client=client,
                job_title=title,
                phone=f"0{rng.randint(1, 5)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
                f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
            )
            for client, user, title in planned
        ],
        batch_size=1000,
    )
    contacts = {}
    for contact in contact_rows:
        contacts.setdefault(contact.client_id, []).append(contact)
    demo_contacts = {user.username: user for user in users if user.username in DEMO_USERNAMES}
    return contacts, demo_contacts
