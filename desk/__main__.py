import sys

from desk.staff.cli import main

sys.exit(main())
