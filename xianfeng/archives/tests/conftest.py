import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    # Uploaded scans go to a per-test folder, never into var/media.
    settings.MEDIA_ROOT = tmp_path
