"""``redactor redact``: redact files on disk (the CLI face of :class:`Redactor`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from redactor.errors import BadInputError, ConfigError, RedactorError

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "redact",
        help="redact card numbers, security codes, health data... from recordings",
        description=(
            "Redact INPUT files into OUTPUT (a file for one input, a folder for several). "
            "A JSON report is written next to each output as <output>.report.json."
        ),
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", type=Path)
    p.add_argument("-o", "--output", required=True, type=Path, metavar="OUTPUT")
    p.add_argument(
        "--model",
        default=None,
        help="ASR model for every call (default: the policy's per language, tiny.en for "
        "English and base for Italian; see `redactor models`)",
    )
    p.add_argument(
        "--language",
        default=None,
        help="language of the calls: en or it (default: the campaign's pinned language, "
        "else detected per call by the multilingual model)",
    )
    p.add_argument("--policy", type=Path, default=None, help="policy YAML (default: packaged)")
    p.add_argument("--campaign", default=None, help="apply this campaign's policy overrides")
    p.add_argument("--max-size-mb", type=float, default=None, help="refuse inputs over this size")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=_redact)

    m = sub.add_parser("models", help="list the ASR models this installation has")
    m.set_defaults(func=_models)


def _outputs(inputs: list[Path], output: Path) -> list[tuple[Path, Path]]:
    if len(inputs) == 1 and not output.is_dir() and output.suffix:
        return [(inputs[0], output)]
    if output.exists() and not output.is_dir():
        raise ConfigError(f"{output}: with several inputs, OUTPUT must be a folder")
    output.mkdir(parents=True, exist_ok=True)
    names = [i.name for i in inputs]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise ConfigError(f"several inputs are named {sorted(dupes)[0]!r}; outputs would collide")
    return [(i, output / i.name) for i in inputs]


def _redact(args: argparse.Namespace) -> int:
    from redactor.settings import redact_options

    pairs = _outputs(args.inputs, args.output)
    # refuse missing inputs before loading any model
    for src, _ in pairs:
        if not src.exists():
            raise BadInputError(f"{src}: no such file")
    options = redact_options(
        model=args.model,
        language=args.language,
        policy_path=args.policy,
        campaign=args.campaign,
        max_size_mb=args.max_size_mb,
    )
    from redactor.router import LanguageRouter

    router = LanguageRouter(options)
    failures = 0
    show = len(pairs) > 1 and not args.no_progress
    bar = None
    if show:
        from tqdm import tqdm

        bar = tqdm(total=len(pairs), unit="file", file=sys.stderr, desc="redacting")
    for src, dst in pairs:
        try:
            report = router.redact_file(src, dst, campaign=args.campaign)
        except RedactorError as exc:
            failures += 1
            last_error = exc
            msg = f"redactor: error: {exc}"
            (bar.write(msg, file=sys.stderr) if bar else print(msg, file=sys.stderr))
        else:
            kinds = sorted({i.entity_type for i in report.intervals})
            line = (
                f"{src} -> {dst} [{report.settings['language']}]: "
                f"{len(report.intervals)} redaction(s), "
                f"{report.redacted_seconds:.1f} s silenced"
                + (f" ({', '.join(kinds)})" if kinds else "")
            )
            (bar.write(line) if bar else print(line))
        if bar:
            bar.update(1)
    if bar:
        bar.close()
    if failures:
        if len(pairs) == 1:
            return last_error.exit_code
        print(f"redactor: {failures} of {len(pairs)} file(s) failed", file=sys.stderr)
        return 1
    return 0


def _models(args: argparse.Namespace) -> int:
    from models import MODELS
    from models.registry import DEFAULT_MODEL

    for name, spec in MODELS.items():
        langs = "multilingual" if spec.multilingual else ",".join(spec.languages)
        default = " (default)" if name == DEFAULT_MODEL else ""
        print(f"{name}\t{langs}\t{spec.package}{default}")
    return 0
