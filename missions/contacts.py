"""Inviting a client contact: a portal login whose owner chooses the password by email."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from missions.locking import lock_client
from missions.models import ClientContact
from staffing import access
from staffing.mail import absolute_url, queue_email, render_email


@transaction.atomic
def invite_contact(*, client, by, first_name, last_name, email, job_title="", phone=""):
    """Give a person at an active client a portal login: the user (no usable password yet),
    the contact record and the client-contact role, and the email with a set-password link,
    all or nothing.

    Raises `ValidationError` with code `client_archived` or `email_taken`.
    """
    client = lock_client(client)  # an archiving of the client waits, or is waited for
    if not client.is_active:
        raise ValidationError(
            _("%(client)s is archived: restore it before inviting a contact.")
            % {"client": client.name},
            code="client_archived",
        )
    email = email.strip().lower()
    User = get_user_model()
    if User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists():
        raise ValidationError(_("A user with this email already exists."), code="email_taken")
    user = User(username=email, email=email, first_name=first_name, last_name=last_name)
    user.set_unusable_password()
    try:
        # Two invitations of one email at the same moment both pass the check above: the
        # unique username refuses the second, which gets the same answer as if it came later.
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ValidationError(
            _("A user with this email already exists."), code="email_taken"
        ) from None
    user.groups.add(Group.objects.get(name=access.CLIENT_CONTACT))
    contact = ClientContact.objects.create(
        user=user, client=client, job_title=job_title, phone=phone
    )
    send_invitation(user.pk)
    return contact


def set_password_url(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return absolute_url(path)


def send_invitation(user_id):
    user = get_user_model().objects.select_related("client_contact__client").get(pk=user_id)
    context = {"user": user, "client": user.client_contact.client, "url": set_password_url(user)}
    subject, body = render_email(
        subject_template="emails/contact_invite_subject.txt",
        body_template="emails/contact_invite.txt",
        context=context,
    )
    queue_email(to=[user.email], subject=subject, body=body)
