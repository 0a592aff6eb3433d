"""`python -m normlint`."""

from .cli import main

raise SystemExit(main())
