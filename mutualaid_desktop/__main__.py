"""Entry point: `python -m mutualaid_desktop` behaves exactly like `mutualaid`."""

import multiprocessing
import sys

from mutualaid_desktop.cli import main

if __name__ == "__main__":
    # The window decrypts bundles in a child process (sync/age_worker.py): a
    # child must not run the program again, and a frozen build needs this call.
    multiprocessing.freeze_support()
    sys.exit(main())
