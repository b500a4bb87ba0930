"""``python -m handwrite``: the same as the ``handwrite`` command."""

from handwrite.cli import main

raise SystemExit(main())
