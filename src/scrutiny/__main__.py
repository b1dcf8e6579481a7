"""``python -m scrutiny``: the same as the ``scrutiny`` command."""

import sys

from scrutiny.cli import main

sys.exit(main())
