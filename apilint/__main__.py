"""``python -m apilint`` runs the CLI."""

from apilint.cli.main import run

run()
