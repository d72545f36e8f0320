"""Settings for the test suite: the real settings, with a throwaway data directory and a fast hasher."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-suite-only-" + "k" * 40)
os.environ.setdefault("DXMONITOR_DATA_DIR", tempfile.mkdtemp(prefix="dxmonitor-test-"))

from dxmonitor.settings import *  # noqa: E402,F403

# Hashing cost is not what the tests measure.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
