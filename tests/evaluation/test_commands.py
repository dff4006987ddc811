"""``redactor samples`` and ``redactor eval`` from the command line."""

from __future__ import annotations

import pytest

from redactor.cli import main
from redactor.evaluation.audio_io import probe
from redactor.evaluation.corpus import read_truth_json


def test_samples_writes_playable_calls_with_their_truth(tmp_path, capsys, shared_audio):
    assert main(["samples", "--out", str(tmp_path)]) == 0
    truths = sorted(tmp_path.glob("*.truth.json"))
    assert len(truths) == 5
    layouts = set()
    for path in truths:
        call = read_truth_json(path)
        info = probe(call.audio_path)
        assert info["duration"] > 5
        layouts.add(info["channels"])
    assert layouts == {1, 2}
    assert "sensitive units" in capsys.readouterr().out


def test_eval_refuses_an_unknown_format_and_names_the_valid_ones(tmp_path, capsys):
    code = main(["eval", "--formats", "aiff", "--out", str(tmp_path)])
    assert code == 2
    assert "wav_ulaw" in capsys.readouterr().err


def test_eval_refuses_an_empty_corpus(tmp_path, capsys):
    assert main(["eval", "--calls", "0", "--out", str(tmp_path)]) == 2
    assert "--calls" in capsys.readouterr().err


@pytest.mark.slow
def test_eval_prints_the_table_for_ours_and_the_oracle_and_writes_json(tmp_path, capsys):
    import json

    code = main(["eval", "--calls", "2", "--no-baseline", "--oracle", "--formats", "wav_ulaw",
                 "--out", str(tmp_path)])  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    assert "ours leaked" in out and "oracle leaked" in out and "targets (ours)" in out
    (results,) = tmp_path.glob("run-*/results.json")
    data = json.loads(results.read_text())
    oracle = data["systems"]["oracle"]["summary"]
    assert oracle["over_redaction"] == 0.0
    assert all(e["leaked"] == 0 for e in oracle["entities"].values())
    assert set(data["systems"]) == {"ours", "oracle"}
