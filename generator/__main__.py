"""``python -m generator`` runs the ``specgen`` command."""

from .cli import main

main()
