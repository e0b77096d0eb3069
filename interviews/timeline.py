"""The words of the interview feedback's timeline steps, put together when a step is shown (in
the reader's language) from the codes it stores: the verdict and the failure causes."""

from django.utils.translation import gettext

from interviews.models import Verdict
from missions.models import FailureCause


def _label(choices, value):
    return choices(value).label if value in choices.values else value


def feedback_text(n, verdict=""):
    """ "Feedback on interview 2: No go"."""
    if not verdict:
        return gettext("Feedback on interview %(n)s recorded") % {"n": n}
    return gettext("Feedback on interview %(n)s: %(verdict)s") % {
        "n": n,
        "verdict": _label(Verdict, verdict),
    }


def failure_causes_text(causes):
    """ "Causes: Daily rate too high, Soft skills"."""
    labels = ", ".join(str(_label(FailureCause, cause)) for cause in causes)
    return gettext("Causes: %(causes)s") % {"causes": labels}
