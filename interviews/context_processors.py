from interviews.models import INTERVIEW_CAP


def caps(request):
    """R2's cap for every template ("interview n of 3"), so no template types the number."""
    return {"interview_cap": INTERVIEW_CAP}
