"""``python -m newsld`` runs the command line."""

from .cli import app

app()
