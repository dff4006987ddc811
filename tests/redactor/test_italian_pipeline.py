"""One Italian call end to end: espeak-ng speech, the multilingual base model, Presidio
with the Italian recognizers, the fail-closed rules, silence and verification."""

import json
import re
import shutil
import subprocess

import pytest

from redactor.pipeline import RedactOptions, Redactor
from redactor.report import report_path_for

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng"),
]


def speak(path, text, speed):
    """Italian speech from espeak-ng at ``speed`` words a minute, written to ``path``."""
    subprocess.run(["espeak-ng", "-v", "it", "-s", str(speed), "-w", str(path), text], check=True)
    return path


def test_an_italian_card_number_and_codice_fiscale_are_silenced(tmp_path):
    src = speak(
        tmp_path / "chiamata.wav",
        "Buongiorno. Il numero della carta è quattro cinque tre nove, uno quattro otto otto, "
        "zero tre quattro tre, sei quattro sei sette. Il mio codice fiscale è: erre, esse, "
        "esse, emme, erre, a, otto, zero, a, zero, uno, acca, cinque, zero, uno, u. Grazie "
        "mille, arrivederci.",
        140,
    )
    redactor = Redactor(RedactOptions(model="base", language="it"))
    dst = tmp_path / "out.wav"
    redactor.redact_file(src, dst)
    report = json.loads(report_path_for(dst).read_text())
    assert "CREDIT_CARD" in {i["entity_type"] for i in report["intervals"]}
    # the codice fiscale (read from about 12 s to 22 s) is silent, whatever label won the
    # merge (it lies in the payment dialogue and in the answer to "codice fiscale")
    assert any(i["start"] <= 13.0 and i["end"] >= 20.0 for i in report["intervals"])
    text = report["transcript"][0]["text"]
    # no digit of the card or the codice fiscale is left in the transcript ("grazie mille"
    # after them may come out as a harmless "10000": that is not theirs)
    digits = "".join(ch for ch in text if ch.isdigit())
    for group in ("4539", "1488", "0343", "6467", "80", "01", "50"):
        assert group not in digits.replace("10000", ""), text
    assert re.search(r"fiscale\W*\[", text), text


def test_a_stretch_decoded_again_cannot_loop_on_itself(tmp_path):
    # it-s1-034: base looped "7, 7, 7, ..." from the end of a read-back over "perfetto,
    # pagamento registrato, il numero d'ordine è 1998" and looped again when the stretch
    # was decoded on its own; barred from repeating itself it heard the closing. Eight
    # "sette" loop base the same way: the first decode writes "7," a hundred times and
    # nothing of the closing
    from redactor.evaluation.audio_io import decode
    from redactor.transcribe import resample_to_16k

    sette = ", ".join(["sette"] * 8)
    audio, rate = decode(
        speak(tmp_path / "s.wav", f"{sette}. perfetto, pagamento registrato.", 150)
    )
    redactor = Redactor(RedactOptions(model="base", language="it"))
    words = [w.text.strip(".,") for w in redactor._again(0)(resample_to_16k(audio[:, 0], rate))]
    assert "registrato" in words
    assert len(words) < 30
