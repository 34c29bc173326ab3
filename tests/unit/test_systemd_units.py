"""The production units (deploy/systemd/): each process restarted with back-off and a start
limit, started the way the launcher starts it, and accepted by systemd itself."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from desk.settings import PROJECT_ROOT

UNITS = PROJECT_ROOT / "deploy" / "systemd"
INSTALLED = "/opt/zhigong-desk"
VARIABLE = re.compile(r"\$\{([A-Z_]+)\}")
SERVICES = {
    "desk-actions.service": "/.venv/bin/python -m actions ",
    "desk-rasa.service": "/.venv-rasa/bin/python -m rasa_runtime run ",
    "desk-gateway.service": "/.venv/bin/python -m bot",
}
# systemd 252 (Debian 12) does not know the exponential back-off keys yet and skips them.
NEWER_SYSTEMD_KEYS = ("Unknown key 'RestartSteps'", "Unknown key 'RestartMaxDelaySec'")


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(UNITS / name, encoding="utf-8")
    return parser


@pytest.mark.parametrize(("name", "command"), SERVICES.items())
def test_each_process_is_restarted_with_back_off_and_a_start_limit(name: str, command: str) -> None:
    service = unit(name)
    assert service["Service"]["Restart"] == "always"
    assert int(service["Service"]["RestartSec"]) >= 1
    assert int(service["Service"]["RestartMaxDelaySec"]) > int(service["Service"]["RestartSec"])
    assert int(service["Unit"]["StartLimitBurst"]) > 1
    assert int(service["Unit"]["StartLimitIntervalSec"]) > 0
    assert service["Service"]["ExecStart"].startswith(INSTALLED + command)
    assert service["Service"]["EnvironmentFile"] == "/etc/zhigong-desk/desk.env"
    assert service["Unit"]["PartOf"] == "desk.target"
    assert "desk.target" in service["Install"]["WantedBy"]


def test_the_target_starts_every_service() -> None:
    wanted = unit("desk.target")["Unit"]["Wants"].split()
    assert sorted(wanted) == sorted(SERVICES)


def test_the_example_environment_sets_what_rasas_endpoints_read() -> None:
    names = {
        line.split("=", 1)[0]
        for line in (UNITS / "desk.env.example").read_text().splitlines()
        if "=" in line and not line.startswith("#")
    }
    endpoints = (PROJECT_ROOT / "endpoints.yml").read_text()
    assert set(VARIABLE.findall(endpoints)) <= names
    for service in SERVICES:
        for line in (UNITS / service).read_text().splitlines():
            if line.startswith("ExecStart"):
                assert set(VARIABLE.findall(line)) <= names


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not here")
def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    """Installed as they would be, with this checkout standing in for /opt/zhigong-desk."""
    for source in [*UNITS.glob("*.service"), *UNITS.glob("*.target"), *UNITS.glob("*.timer")]:
        text = source.read_text()
        text = text.replace("/etc/zhigong-desk/desk.env", str(UNITS / "desk.env.example"))
        text = text.replace(INSTALLED, str(PROJECT_ROOT))
        text = text.replace("User=desk", "User=root").replace("Group=desk", "Group=root")
        (tmp_path / source.name).write_text(text)
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    complaints = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if line.strip() and not any(key in line for key in NEWER_SYSTEMD_KEYS)
    ]
    assert result.returncode == 0 and not complaints, complaints
