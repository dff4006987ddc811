"""Tune redaction rules quickly: ``redactor eval`` with the recogniser's output cached.

Recognition is most of an evaluation's time and it does not change when a rule does, so
this runs the real pipeline (the same code paths as ``redactor eval``) with
``transcribe_channel`` and the voice-activity detector answered from a disk cache keyed on
the audio and the options. The first run of a corpus fills the cache (10 to 20 minutes a
language on 2 cores); later runs take about a minute. It prints the eval table, and then
which rule silenced the over-redacted frames, in points of over-redaction, so a change to
the rules can be aimed and then checked on a second corpus (``--seed 1``).

    .venv/bin/python bench/rules_eval.py --language it --seed 1
    .venv/bin/python bench/rules_eval.py --only en-s0-003,en-s0-017 --set pad_after=0.1

Per-call dumps (tokens, speech, windows, raw and final intervals, truth, score) go to
``<cache>/runs/<lang>-s<seed>-<tag>/``. This is a development tool: the shipped figures
come from ``redactor eval``.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import pickle
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _cached(fn, folder: Path, key_of):
    folder.mkdir(parents=True, exist_ok=True)

    def wrapper(*args, **kwargs):
        path = folder / (key_of(*args, **kwargs) + ".pkl")
        if path.exists():
            return pickle.loads(path.read_bytes())
        value = fn(*args, **kwargs)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(value))
        tmp.replace(path)
        return value

    return wrapper


def _install_cache(cache: Path, language: str, model: str | None = None) -> None:
    import redactor.pipeline as pipeline
    import redactor.verify as verify

    def asr_key(model, audio, channel, options):
        h = hashlib.sha1(np.ascontiguousarray(audio, dtype=np.float32).tobytes())
        h.update(repr((language, channel, options) + ((model,) if model else ())).encode())
        return h.hexdigest()

    def vad_key(audio, *a, **k):
        h = hashlib.sha1(np.ascontiguousarray(audio, dtype=np.float32).tobytes())
        h.update(repr((a, sorted(k.items()))).encode())
        return h.hexdigest()

    asr = _cached(pipeline.transcribe_channel, cache / f"asr-{language}", asr_key)
    pipeline.transcribe_channel = asr
    verify.transcribe_channel = asr
    pipeline.speech_regions = _cached(pipeline.speech_regions, cache / "vad", vad_key)


class _Recorder:
    """Catches, per call, what the pipeline decided: raw intervals, windows, final ones."""

    def __init__(self):
        import redactor.pipeline as pipeline
        import redactor.plan as plan

        self.raw, self.bridged, self.windows, self.final, self.analyses = [], [], [], [], []
        merge = plan.merge_intervals
        intervals = pipeline.Redactor._intervals
        redact_audio = pipeline.Redactor.redact_audio
        rec = self

        def merge_hook(ivs, gap):
            rec.raw = list(ivs)
            return merge(ivs, gap)

        def intervals_hook(self, analyses):
            bridged, windows = intervals(self, analyses)
            rec.bridged, rec.windows = list(bridged), list(windows)
            return bridged, windows

        def redact_hook(self, audio, timings=None):
            out = redact_audio(self, audio, timings)
            rec.final, rec.analyses = list(out[1]), out[2]
            return out

        plan.merge_intervals = merge_hook
        pipeline.Redactor._intervals = intervals_hook
        pipeline.Redactor.redact_audio = redact_hook


def _attribute(call, dst: Path, rec: _Recorder) -> dict[str, int]:
    """Over-redacted frames of one call, by the rule whose raw interval covers them."""
    from redactor.evaluation import scoring
    from redactor.evaluation.audio_io import decode

    orig, rate = decode(call.audio_path)
    red, _ = decode(dst, rate=rate, channels=orig.shape[1])
    if len(red) < len(orig):
        red = np.concatenate([red, np.zeros((len(orig) - len(red), orig.shape[1]), "f4")])
    red = red[: len(orig)]
    n = int(round(scoring.FRAME * rate))
    o, r = scoring._frame_rms(orig, n), scoring._frame_rms(red, n)
    voiced = scoring._voiced(o)
    kept = (r > scoring.KEEP_RATIO * o) & (r > 10 ** (scoring.FLOOR_DBFS / 20))
    n_frames, n_ch = o.shape
    zone = scoring._frame_mask(
        [u for u in call.truth if u.sensitive], n_frames, n_ch, margin=scoring.MARGIN
    )
    over = voiced & ~zone & ~kept
    centers = (np.arange(n_frames) + 0.5) * scoring.FRAME
    counts: dict[str, int] = defaultdict(int)
    phrases: dict[str, int] = defaultdict(int)
    for f, _ch in zip(*np.nonzero(over), strict=True):
        t = centers[f]
        said = [u for u in call.truth if u.start <= t < u.end]
        phrase = f"{said[0].speaker}: {said[0].text}" if said else "(between)"

        def covering(ivs, t=t):  # the default policy silences every channel
            return [iv for iv in ivs if iv.start <= t < iv.end]

        raw = covering(rec.raw)
        if raw:
            rule = max(raw, key=lambda iv: iv.end - iv.start).recognizer
        elif covering(rec.bridged):
            rule = "bridge/merge"
        else:
            rule = "verification"
        counts[rule] += 1
        phrases[f"{rule} | {phrase}"] += 1
    return counts, phrases


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--language", default="en")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--calls", type=int, default=40)
    ap.add_argument("--cache", type=Path, default=Path(os.environ.get("RULES_CACHE", "/tmp/h")))
    ap.add_argument("--tag", default="run")
    ap.add_argument("--only", default="", help="comma-separated call ids")
    ap.add_argument("--set", action="append", default=[], help="policy field=value")
    ap.add_argument("--model", default=None, help="model name (default: the policy's)")
    ap.add_argument("--hotwords", default=None, help="faster-whisper hotwords to decode with")
    ap.add_argument("--beam", type=int, default=None, help="beam size to decode with")
    args = ap.parse_args(argv)

    from redactor.errors import BadInputError, NotCleanError
    from redactor.evaluation.corpus import build_corpus, corpus_key
    from redactor.evaluation.scoring import format_table, score_call, score_quarantined, summarize

    _install_cache(args.cache, args.language, args.model)
    rec = _Recorder()
    from redactor.pipeline import RedactOptions, Redactor

    calls = build_corpus(
        args.calls,
        args.seed,
        args.cache / "corpus" / corpus_key(args.seed, args.language),
        language=args.language,
    )
    if args.only:
        wanted = set(args.only.split(","))
        calls = [c for c in calls if c.call_id in wanted]
    redactor = Redactor(RedactOptions(language=args.language, model=args.model))
    if args.hotwords is not None:
        redactor.transcribe_options = dataclasses.replace(
            redactor.transcribe_options, hotwords=args.hotwords or None
        )
    if args.beam is not None:
        redactor.transcribe_options = dataclasses.replace(
            redactor.transcribe_options, beam_size=args.beam
        )
    for item in args.set:
        key, value = item.split("=", 1)
        old = getattr(redactor.policy, key)
        redactor.policy = dataclasses.replace(redactor.policy, **{key: type(old)(value)})
    out = args.cache / "runs" / f"{args.language}-s{args.seed}-{args.tag}"
    out.mkdir(parents=True, exist_ok=True)
    scores, rules, voiced_outside = [], defaultdict(int), 0
    t0 = time.perf_counter()
    for call in calls:
        dst = out / call.audio_path.name
        dst.unlink(missing_ok=True)
        try:
            redactor.redact_file(call.audio_path, dst)
            score = score_call(call, dst)
            by_rule, by_phrase = _attribute(call, dst, rec)
            for rule, n in by_rule.items():
                rules[rule] += n
        except (NotCleanError, BadInputError) as exc:
            score, by_rule, by_phrase = score_quarantined(call, str(exc)), {}, {}
        scores.append(score)
        voiced_outside += score.voiced_outside
        dump = {
            "call": call.call_id,
            "over": round(score.over_redaction, 4),
            "voiced_outside": score.voiced_outside,
            "rules": by_rule,
            "phrases": by_phrase,
            "leaks": [dataclasses.asdict(u) for u in score.leaks],
            "near": [
                dataclasses.asdict(u)
                for u in score.units
                if not u.leaked and u.voiced_frames and u.kept_frames >= 0.1 * u.voiced_frames
            ],
            "truth": [dataclasses.asdict(u) for u in call.truth],
            "tokens": [
                [
                    (t.text, round(t.start, 2), round(t.end, 2), round(t.probability, 2))
                    for t in a.tokens
                ]
                for a in rec.analyses
            ],  # fmt: skip
            "speech": [a.speech for a in rec.analyses],
            "findings": [
                [
                    (f.entity_type, round(f.start, 2), round(f.end, 2), f.text, f.recognizer)
                    for f in a.findings
                ]
                for a in rec.analyses
            ],  # fmt: skip
            "windows": [(w.start, w.end, type(w).__name__) for w in rec.windows],
            "raw": [(i.start, i.end, i.channel, i.recognizer) for i in rec.raw],
            "final": [(i.start, i.end, i.channel, i.recognizer) for i in rec.final],
        }
        (out / f"{call.call_id}.dump.json").write_text(json.dumps(dump, default=str))
        leaks = ", ".join(f"{u.entity}:{u.text}" for u in score.leaks)
        print(f"{call.call_id}: over {score.over_redaction:6.1%}  {leaks}", flush=True)
    print(f"\n{len(calls)} calls in {time.perf_counter() - t0:.0f} s\n")
    summary = summarize("ours", scores)
    print(format_table([summary]))
    print("\nover-redaction by rule (points):")
    for rule, n in sorted(rules.items(), key=lambda kv: -kv[1]):
        print(f"  {rule:32s} {100 * n / max(voiced_outside, 1):5.2f}")
    near = [
        (u.kept_frames / u.voiced_frames, s.call_id, u.entity, u.text)
        for s in scores
        for u in s.units
        if not u.leaked and u.voiced_frames and u.kept_frames >= 0.1 * u.voiced_frames
    ]
    print(f"near leaks (10% or more of a unit kept; 20% leaks): {len(near)}")
    for share, call_id, entity, text in sorted(near, reverse=True)[:8]:
        print(f"  {share:4.0%} {call_id} {entity}: {text}")
    harmless = [h for s in scores for h in s.harmless]
    print(f"harmless damaged: {sum(h.leaked for h in harmless)}/{len(harmless)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
