"""Files the app reads in: plan texts, rosters. Pure parsing and validation, no database."""
