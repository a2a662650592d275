"""``python -m assistant`` → :func:`assistant.cli.main`."""
import sys

from .cli import main

sys.exit(main())
