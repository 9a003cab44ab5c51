"""Entry point: `python -m mutualaid_desktop` behaves exactly like `mutualaid`."""

import multiprocessing
import sys

from mutualaid_desktop.cli import main

if __name__ == "__main__":
    # The frozen build starts its child processes (printing without CUPS) through this
    # same executable: freeze_support runs the child's work instead of the program.
    multiprocessing.freeze_support()
    sys.exit(main())
