"""``python -m newsld`` runs the command line."""

from newsld.cli import app

app()
