"""``python -m specgen`` runs the ``specgen`` command."""

from .cli import main

main()
