"""The mandatory compliance documents of each legal form (R9), as the agency starts with them;
the admin edits them afterwards.

Every freelancer owes the URSSAF attestation de vigilance, a registration extract (Kbis for a
company, INSEE notice for a micro-entrepreneur) and a professional liability insurance. In
portage the portage company holds them, and its financial guarantee is added.
"""

from django.db import migrations

REQUIREMENTS = {
    "micro": ["urssaf", "registration", "insurance"],
    "company": ["urssaf", "registration", "insurance"],
    "portage": ["urssaf", "registration", "insurance", "portage_guarantee"],
}


def seed(apps, schema_editor):
    requirement = apps.get_model("candidates", "ComplianceRequirement")
    for legal_form, document_types in REQUIREMENTS.items():
        for document_type in document_types:
            requirement.objects.get_or_create(legal_form=legal_form, document_type=document_type)


def unseed(apps, schema_editor):
    apps.get_model("candidates", "ComplianceRequirement").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("candidates", "0012_compliance_documents")]

    operations = [migrations.RunPython(seed, unseed)]
