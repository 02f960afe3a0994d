"""torch-practice: the grader package (CLI, sandbox, hidden suites, data, reports)."""

__version__ = "0.1.0"
