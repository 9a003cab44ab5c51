"""Entry point: `python -m mutualaid_desktop` behaves exactly like `mutualaid`."""

import sys

from mutualaid_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
