"""Evaluation: synthetic calls with exact ground truth, scoring from output audio, baseline.

Nothing heavy is imported here; import the submodules you need.
"""

__all__: list[str] = []
