"""The ``redactor`` command as a user runs it: real processes, real files."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REDACTOR = [sys.executable, "-m", "redactor.cli"]
REPO = Path(__file__).resolve().parents[2]


def run(*args, cwd=None):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [*REDACTOR, *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env
    )


def test_help_lists_the_redact_command_quickly():
    proc = run("--help")
    assert proc.returncode == 0 and "redact" in proc.stdout


@pytest.mark.parametrize(
    ("name", "content", "code", "message"),
    [
        ("empty.wav", b"", 3, "empty file"),
        ("notes.wav", b"not audio\n" * 50, 3, "not an audio file"),
    ],
)
def test_bad_input_gets_one_line_on_stderr_a_non_zero_exit_and_no_output(
    tmp_path, name, content, code, message
):
    src = tmp_path / name
    src.write_bytes(content)
    out = tmp_path / "out.wav"
    proc = run("redact", src, "-o", out)
    assert proc.returncode == code
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in proc.stderr
    assert not out.exists() and list(tmp_path.glob("*.part")) == []


def test_a_missing_input_is_refused_before_any_model_loads(tmp_path):
    proc = run("redact", tmp_path / "nope.wav", "-o", tmp_path / "o.wav")
    assert proc.returncode == 3 and "no such file" in proc.stderr


def test_an_unknown_model_names_the_valid_ones(tmp_path):
    src = tmp_path / "a.wav"
    src.write_bytes(b"x")
    proc = run("redact", src, "-o", tmp_path / "o.wav", "--model", "huge")
    assert proc.returncode == 2 and "valid models: base, tiny.en" in proc.stderr


def test_a_bad_policy_file_names_the_bad_line(tmp_path):
    pol = tmp_path / "p.yaml"
    pol.write_text("version: 1\nredaction:\n  method: beep\n")
    src = tmp_path / "a.wav"
    src.write_bytes(b"x")
    proc = run("redact", src, "-o", tmp_path / "o.wav", "--policy", pol)
    assert proc.returncode == 2 and f"{pol}:3" in proc.stderr and "silence" in proc.stderr


@pytest.mark.parametrize(
    ("args", "policy", "message"),
    [
        (["--language", "fr"], None, "unsupported language 'fr'; valid: en, it"),
        (["--model", "tiny.en", "--language", "it"], None, "does not support language 'it'"),
        ([], "redaction:\n  languages: [en, de]\n", "unknown language 'de'; valid: en, it"),
        ([], "redaction:\n  models: {en: tiny.en, it: tiny.en}\n", "cannot hear 'it'"),
    ],
)
def test_a_language_the_redactor_cannot_hear_is_refused_in_one_line(
    tmp_path, args, policy, message
):
    src = tmp_path / "call.wav"
    subprocess.run(["espeak-ng", "-w", str(src), "hello"], check=True)
    extra = []
    if policy:
        (tmp_path / "p.yaml").write_text(policy)
        extra = ["--policy", tmp_path / "p.yaml"]
    proc = run("redact", src, "-o", tmp_path / "out.wav", *args, *extra)
    assert proc.returncode == 2
    assert message in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out.wav").exists()
