"""`check --deploy` with production settings reports nothing."""

from .production_env import PRODUCTION_ENV, run_python


def test_production_settings_pass_check_deploy():
    result = run_python("", PRODUCTION_ENV, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
