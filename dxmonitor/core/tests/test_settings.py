import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dxmonitor.conf import SETTINGS, envbool

ROOT = Path(__file__).resolve().parents[3]


def _start(tmp_path, **env):
    """Import the real settings in a fresh interpreter, as a server start would."""
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}}
    clean.update({"DXMONITOR_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "dxmonitor.settings", **env})
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        env=clean,
        capture_output=True,
        text=True,
    )


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off(tmp_path):
    result = _start(tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY is missing" in result.stderr
    assert "Thiếu SECRET_KEY" in result.stderr


def test_it_refuses_a_known_default_secret_key(tmp_path):
    result = _start(tmp_path, SECRET_KEY="change-me")
    assert result.returncode != 0
    assert "SECRET_KEY is missing or a known default" in result.stderr


def test_it_starts_with_the_key_file_the_demo_writes(tmp_path):
    (tmp_path / "secret_key").write_text("a-real-random-key-" + "x" * 40)
    result = _start(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_a_developer_with_debug_on_needs_no_key(tmp_path):
    assert _start(tmp_path, DEBUG="true").returncode == 0


def test_debug_accepts_only_true_or_false(tmp_path, monkeypatch):
    monkeypatch.setenv("DEBUG", "yes")
    with pytest.raises(ValueError, match="true' or 'false"):
        envbool("DEBUG")
    assert _start(tmp_path, DEBUG="1").returncode != 0


def test_time_zone_and_languages_are_vietnamese_first(settings):
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.LANGUAGE_CODE == "vi"
    assert [code for code, _ in settings.LANGUAGES] == ["vi", "en"]


def test_the_sqlite_file_lives_in_the_data_dir_when_no_database_url_is_set(tmp_path):
    clean = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    clean.update({"DXMONITOR_DATA_DIR": str(tmp_path), "DEBUG": "true"})
    code = "import django; django.setup(); from django.conf import settings; print(settings.DATABASES['default']['NAME'])"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "dxmonitor.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert out == str(tmp_path.resolve() / "dxmonitor.sqlite3")


def test_every_setting_is_documented_in_the_readme_with_its_default():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        row = re.search(rf"^\| `{setting.name}` \| (.*?) \|", readme, re.M)
        assert row, f"{setting.name} is not in the README's configuration table"
        assert (f"`{setting.default}`" if setting.default else "unset") in row.group(1), setting.name
