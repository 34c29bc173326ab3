import sys

from desk.common.private_files import keep_new_files_private
from desk.staff.cli import main

keep_new_files_private()

sys.exit(main())
