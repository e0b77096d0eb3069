"""The private storage: files that only a permission-checking view serves (CVs).

`STORAGES["private"]` decides where they live: a local directory by default, an S3-compatible
bucket shared by every app server when one is configured (docs/deploy.md). File fields say
`storage=private_storage`, so the settings choose the backend and no migration records one.
"""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class _PrivateStorage(LazyObject):
    # Resolved on first use, like Django's default_storage, so a field built at import time
    # still follows the settings.
    def _setup(self):
        self._wrapped = storages["private"]


_private = _PrivateStorage()


def private_storage():
    """The storage of private files, as configured in `STORAGES["private"]`."""
    return _private


@receiver(setting_changed)
def _forget_the_private_backend(*, setting, **kwargs):
    # A changed STORAGES (tests, override_settings) takes effect on the next file access.
    if setting == "STORAGES":
        _private._wrapped = empty
