"""``python -m apilint`` runs the CLI."""

from apilint.cli import main

main()
