"""The figure of docs/performance.md for the profile import: a 10,000-row file (3 % of the rows
repeated, 2 % with a broken email) imported by the task, in one process. Run it against a
fresh database:

    DATABASE_URL=sqlite:////tmp/import.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:////tmp/import.sqlite3 .venv/bin/python manage.py shell \\
        -c "from bench.import_profiles import run; run()"
"""

import time

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from candidates import imports
from candidates.models import Candidate


def big_file():
    lines = ["Prénom;Nom;Email;Téléphone;Ville;Titre;Séniorité;TJM"]
    for i in range(9_700):
        email = f"dev{i}@example.fr" if i % 50 else "not-an-email"
        phone = f"06 {i // 10000 % 100:02d} {i // 100 % 100:02d} {i % 100:02d} 00"
        lines.append(f"Dév{i};Nom{i};{email};{phone};Lyon;Développeur;Senior;500")
    lines += lines[1:301]
    return "\n".join(lines).encode()


def run():
    user, _created = get_user_model().objects.get_or_create(username="bench-import")
    started = time.perf_counter()
    job = imports.create_job(upload=SimpleUploadedFile("big.csv", big_file()), by=user)
    imports.start_import(job=job, mapping=job.mapping, by=user)
    imports.import_profiles.call(job.pk)  # here, not in a worker: the time of the rows alone
    job.refresh_from_db()
    seconds = time.perf_counter() - started
    print(
        f"{job.total_rows} rows in {seconds:.0f} s: {job.created_count} created, "
        f"{job.skipped_count} skipped, {job.error_count} errors; "
        f"{Candidate.objects.count()} profiles"
    )
