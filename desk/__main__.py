import sys

from desk.staff_cli import main

sys.exit(main())
