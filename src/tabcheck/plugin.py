"""What a plugin author imports: the rule decorator, the facts and the finding types.

    from tabcheck.plugin import Context, FileFacts, Finding, Location, Rule, hookimpl, rule

See CONTRIBUTING.md for a whole rule in a few lines, and tabcheck.facts for every fact a rule may read.
"""

from tabcheck.facts import Context, FileFacts
from tabcheck.hookspecs import hookimpl
from tabcheck.messages import DelimiterName, Size, Words
from tabcheck.model import Effect, Finding, Location, Severity
from tabcheck.rule import Rule, provide, rule
from tabcheck.scan.evidence import Evidence

__all__ = [
    "Context",
    "DelimiterName",
    "Effect",
    "Evidence",
    "FileFacts",
    "Finding",
    "Location",
    "Rule",
    "Severity",
    "Size",
    "Words",
    "hookimpl",
    "provide",
    "rule",
]
