from missions.models import SHORTLIST_CAP


def caps(request):
    """R1's cap for every template ("n / 4"), so no template types the number."""
    return {"shortlist_cap": SHORTLIST_CAP}
