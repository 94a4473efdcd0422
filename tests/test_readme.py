"""The README's setup facts are the code's: a changed default or rule fails here first."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from flask import Flask

from matchmaker.services.admins import MIN_PASSWORD_LENGTH

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_states_the_real_password_minimum() -> None:
    assert f"shorter than {MIN_PASSWORD_LENGTH} characters" in README


def test_the_readme_states_the_makefile_host_and_port() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    host = re.search(r"^HOST \?= (\S+)$", makefile, re.MULTILINE)
    port = re.search(r"^PORT \?= (\S+)$", makefile, re.MULTILINE)
    assert host and port, "the Makefile no longer lets HOST and PORT be overridden"
    assert f"serves on `{host[1]}:{port[1]}`" in README
    assert "make run HOST=0.0.0.0 PORT=8080" in README
    assert "MATCHMAKER_BIND=$(HOST):$(PORT)" in makefile


def test_create_user_prompts_as_the_readme_says(migrated_app: Flask) -> None:
    """Without --password the command asks twice, as documented, and refuses a short one."""
    runner = migrated_app.test_cli_runner()
    assert isinstance(runner, CliRunner)
    result = runner.invoke(
        args=["admin", "create-user", "--email", "readme@example.org"], input="short\nshort\n"
    )
    assert "Password:" in result.output and "Repeat for confirmation:" in result.output
    assert "Password:" in README and "Repeat for confirmation:" in README
    assert result.exit_code != 0
    assert f"At least {MIN_PASSWORD_LENGTH} characters" in result.output
