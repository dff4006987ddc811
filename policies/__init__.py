"""Pure decisions: what to redact, how long to keep, who may do what.

Nothing here performs I/O beyond reading the policy file, and every decision that depends
on time takes the time as an argument.
"""

from policies.loader import Policy, load_policy

__all__ = ["Policy", "load_policy"]
