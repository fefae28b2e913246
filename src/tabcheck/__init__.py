"""tabcheck: a preflight linter for research data tables deposited in Dataverse repositories."""

__version__ = "0.1.0"
