import sys

from desk_league.cli import main

sys.exit(main())
