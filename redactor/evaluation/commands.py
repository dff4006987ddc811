"""``redactor eval`` and ``redactor samples``.

``eval`` is the rerunnable proof of the issue's claims: it builds a seeded corpus of
synthetic calls with exact ground truth, runs our redactor and the do-it-yourself baseline
over it (each loading its models once), scores both from the output audio, prints the table
and writes every figure to JSON. ``samples`` writes a few calls to try the redactor on.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

__all__ = ["register"]


def _default_out() -> Path:
    return Path(os.environ.get("REDACTOR_HOME", "./var")) / "eval"


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "eval",
        help="score the redactor and the do-it-yourself baseline on synthetic calls",
        description="Build a seeded corpus of synthetic calls with exact ground truth, redact "
        "it with our pipeline and the stock-Presidio baseline, and score both from the output "
        "audio (see docs/evaluation.md).",
    )
    p.add_argument("--calls", type=int, default=40, help="corpus size (default 40)")
    p.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    p.add_argument(
        "--model", default=None, help="ASR model (default tiny.en; base for --language it)"
    )
    p.add_argument(
        "--language",
        default=None,
        help="language of the corpus and the redactor: en (default) or it",
    )
    p.add_argument(
        "--out", type=Path, default=None, help="work folder (default $REDACTOR_HOME/eval)"
    )
    p.add_argument("--no-baseline", action="store_true", help="skip the baseline row")
    p.add_argument("--oracle", action="store_true", help="also score the perfect redactor")
    p.add_argument(
        "--formats",
        nargs="+",
        default=None,
        metavar="FMT",
        help="only these formats (wav_pcm16 wav_ulaw wav_alaw mp3 flac opus)",
    )
    p.set_defaults(func=_eval)

    s = subparsers.add_parser("samples", help="write a few synthetic sample calls to try")
    s.add_argument("--out", type=Path, required=True, help="folder to write them to")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--language", default="en", help="en (default) or it")
    s.set_defaults(func=_samples)


def _model_and_language(model: str | None, language: str | None) -> tuple[str, str]:
    """Resolve the defaults (Italian needs the multilingual base) and refuse a model that
    cannot hear the corpus's language, before anything is built or loaded."""
    from redactor.evaluation.languages import check_model_language, get_language

    lang = get_language(language or "en")
    model = model or lang.default_model
    check_model_language(model, lang.code)
    return model, lang.code


def _run_key(seed: int, model: str, language: str) -> str:
    """English keeps ``run-seed<S>-<model>``; other languages add theirs."""
    tag = "" if language == "en" else f"{language}-"
    return f"run-{tag}seed{seed}-{model}"


def _progress_bar(total: int, desc: str):
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="call", file=sys.stderr, leave=False)


def _eval(args: argparse.Namespace) -> int:
    from redactor.errors import ConfigError
    from redactor.evaluation.audio_io import FORMATS
    from redactor.evaluation.corpus import build_corpus, corpus_key
    from redactor.evaluation.runner import (
        OracleSystem,
        acceptance,
        run_system,
        write_results,
    )
    from redactor.evaluation.scoring import format_table

    if args.calls < 1:
        raise ConfigError(f"--calls must be at least 1, got {args.calls}")
    for fmt in args.formats or ():
        if fmt not in FORMATS:
            raise ConfigError(f"unknown format {fmt!r}; valid formats: {', '.join(FORMATS)}")
    model, language = _model_and_language(args.model, args.language)
    out = args.out or _default_out()
    corpus_dir = out / corpus_key(args.seed, language)
    bar = _progress_bar(args.calls, "building corpus")
    calls = build_corpus(
        args.calls,
        args.seed,
        corpus_dir,
        formats=tuple(args.formats) if args.formats else None,
        progress=lambda i, n, c: bar.update(1),
        language=language,
    )
    bar.close()
    minutes = sum(c.duration for c in calls) / 60
    print(
        f"corpus: {len(calls)} calls ({language}), {minutes:.1f} min of audio, "
        f"seed {args.seed}, {corpus_dir}; model {model}"
    )

    def ours():
        from redactor.pipeline import RedactOptions, Redactor

        return Redactor(RedactOptions(model=model, language=language))

    def baseline():
        from redactor.evaluation.baseline import DiyBaseline

        return DiyBaseline(model, language=language)

    systems = [("ours", ours)]
    if not args.no_baseline:
        systems.append(("baseline", baseline))
    if args.oracle:
        systems.append(("oracle", lambda: OracleSystem(calls)))
    run_dir = out / _run_key(args.seed, model, language)
    results = []
    for name, factory in systems:
        bar = _progress_bar(len(calls), f"redacting ({name})")
        results.append(
            run_system(name, factory, calls, run_dir, progress=lambda *_a, b=bar: b.update(1))
        )
        bar.close()

    print()
    print(format_table([r.summary for r in results]))
    print()
    for r in results:
        print(
            f"{r.name}: {r.seconds:.1f} s for {r.audio_seconds / 60:.1f} min of audio "
            f"(models loaded in {r.load_seconds:.1f} s)"
            + (f"; {len(r.errors)} crashed" if r.errors else "")
        )
    print()
    print("targets (ours):")
    for name, passed, measured in acceptance(results[0].summary):
        print(f"  [{'PASS' if passed else 'FAIL'}] {name}: {measured}")
    params = {
        "calls": len(calls),
        "seed": args.seed,
        "model": model,
        "language": language,
        "formats": args.formats,
    }
    path = write_results(run_dir / "results.json", params, results)
    print(f"\nresults: {path}")
    return 0


def _samples(args: argparse.Namespace) -> int:
    from redactor.evaluation.corpus import build_call
    from redactor.evaluation.languages import get_language

    lang = get_language(args.language)
    tag = "" if lang.code == "en" else f"{lang.code}-"
    for i, (scenario, fmt, rate, layout) in enumerate(lang.samples):
        call = build_call(
            args.seed * 1000 + i,
            fmt=fmt,
            rate=rate,
            layout=layout,
            scenario=scenario,
            out_dir=args.out,
            call_id=f"sample-{tag}{i + 1}-{scenario}-{layout}",
            language=lang.code,
        )
        sens = len(call.sensitive_units)
        print(f"{call.audio_path}  ({call.duration:.0f} s, {fmt} {rate} Hz {layout}, "
              f"{sens} sensitive units; truth in {call.truth_path.name})")  # fmt: skip
    return 0
