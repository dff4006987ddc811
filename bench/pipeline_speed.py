"""How much slower is redaction than bare transcription?

The issue's target: redacting a batch of calls in one process takes at most 1.5x the time
faster-whisper alone takes to transcribe the same files with the same model (greedy, no
word timestamps). Both run in this one process over the same corpus files; models are loaded
and warmed up before either clock starts. Bare transcription decodes each file and
transcribes every channel separately, as the pipeline does.

    .venv/bin/python bench/pipeline_speed.py --calls 10 --model tiny.en
    .venv/bin/python bench/pipeline_speed.py --calls 10 --model base --language it

Prints seconds, audio seconds, the ratio, and the process's peak RSS. It asserts nothing:
it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import contextlib
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--model", default="tiny.en")
    ap.add_argument("--language", default="en")
    ap.add_argument("--formats", nargs="+", default=None)
    ap.add_argument("--out", type=Path, default=None, help="work folder (default: a temp dir)")
    args = ap.parse_args(argv)

    from models.registry import load_whisper
    from redactor.errors import RedactorError
    from redactor.evaluation.audio_io import decode
    from redactor.evaluation.corpus import build_corpus
    from redactor.pipeline import RedactOptions, Redactor

    work = args.out or Path(tempfile.mkdtemp(prefix="bench-"))
    calls = build_corpus(
        args.calls,
        args.seed,
        work / "corpus",
        formats=tuple(args.formats or ()) or None,
        language=args.language,
    )
    audio_s = sum(c.duration for c in calls)
    channel_s = sum(c.duration * (2 if c.layout == "stereo" else 1) for c in calls)
    print(f"{len(calls)} calls, {audio_s:.0f} s of audio ({channel_s:.0f} s of channel audio)")

    # load everything first; warm both up on the same short file
    t = time.perf_counter()
    model = load_whisper(args.model)
    redactor = Redactor(RedactOptions(model=args.model, language=args.language))
    print(f"models loaded in {time.perf_counter() - t:.1f} s, peak RSS {_peak_rss_mb():.0f} MB")

    def bare(path, word_timestamps=False, **settings):
        audio, _ = decode(path, rate=16000)
        for ch in range(audio.shape[1]):
            segments, _ = model.transcribe(
                audio[:, ch].copy(),
                language=args.language,
                beam_size=1,
                word_timestamps=word_timestamps,
                **settings,
            )
            for _ in segments:  # the generator does the work
                pass

    out = work / "redacted"
    out.mkdir(parents=True, exist_ok=True)
    bare(calls[0].audio_path)
    with contextlib.suppress(Exception):  # warm-up only
        redactor.redact_file(calls[0].audio_path, out / f"warmup{calls[0].audio_path.suffix}")

    t = time.perf_counter()
    for c in calls:
        bare(c.audio_path)
    t_bare = time.perf_counter() - t
    rss_bare = _peak_rss_mb()
    # the same, with the pipeline's decoding settings (no temperature fallback, no
    # conditioning on previous text): the stricter comparison
    same = {"temperature": 0.0, "condition_on_previous_text": False}
    t = time.perf_counter()
    for c in calls:
        bare(c.audio_path, **same)
    t_same = time.perf_counter() - t
    # and with word timestamps too: every transcription setting the pipeline uses
    t = time.perf_counter()
    for c in calls:
        bare(c.audio_path, word_timestamps=True, **same)
    t_words = time.perf_counter() - t

    refused, crashed = 0, []
    t = time.perf_counter()
    for c in calls:
        try:
            redactor.redact_file(c.audio_path, out / c.audio_path.name)
        except RedactorError:
            refused += 1
        except Exception as exc:  # noqa: BLE001 - report it, keep measuring
            crashed.append(f"{c.call_id}: {type(exc).__name__}: {exc}")
    t_ours = time.perf_counter() - t

    print(f"{'':<28}{'seconds':>10}{'x realtime':>12}")
    print(f"{'faster-whisper (greedy)':<28}{t_bare:>10.1f}{audio_s / t_bare:>12.1f}")
    print(f"{'faster-whisper (t=0, no cond)':<28}{t_same:>10.1f}{audio_s / t_same:>12.1f}")
    print(f"{'faster-whisper (+ words)':<28}{t_words:>10.1f}{audio_s / t_words:>12.1f}")
    print(f"{'redactor (full pipeline)':<28}{t_ours:>10.1f}{audio_s / t_ours:>12.1f}")
    print(f"ratio pipeline / bare: {t_ours / t_bare:.2f} (target <= 1.50)")
    print(f"ratio pipeline / bare with the pipeline's decoding settings: {t_ours / t_same:.2f}")
    print(f"ratio bare with every pipeline setting / pipeline: {t_words / t_ours:.2f}")
    print(f"files refused (quarantined): {refused}/{len(calls)}")
    if crashed:
        print(f"pipeline CRASHED on {len(crashed)} files (the ratio is not valid):")
        print("\n".join("  " + line for line in crashed))
    print(f"peak RSS: {rss_bare:.0f} MB after bare, {_peak_rss_mb():.0f} MB after pipeline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
