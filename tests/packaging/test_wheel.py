"""The installable package (what the Dockerfile installs) carries every data file the code
reads at run time, not just the ones an editable checkout happens to have."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TOPS = ("redactor", "storage", "policies", "workers", "models", "api")

pytestmark = pytest.mark.slow


def _data_files() -> set[str]:
    out = set()
    for top in TOPS:
        for path in (REPO / top).rglob("*"):
            if (
                path.is_file()
                and path.suffix not in (".py", ".pyc")
                and "__pycache__" not in path.parts
            ):
                out.add(path.relative_to(REPO).as_posix())
    return out


def test_the_wheel_carries_every_data_file_the_code_reads(tmp_path):
    # build from a copy: setuptools writes build/ and *.egg-info next to the sources
    src = tmp_path / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for top in TOPS:
        shutil.copytree(REPO / top, src / top, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(src)],
        check=True, capture_output=True, cwd=tmp_path,
    )  # fmt: skip
    [wheel] = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = _data_files()
    assert expected, "no data files found: the test would prove nothing"
    assert expected <= names, sorted(expected - names)
