"""Office rules as pure functions: ID numbers, phones, dates, stars, league age and terms, lunar dates.

Nothing here touches files, the database or Qt, so every rule can be tested from a table and reused
by imports, forms and services alike.
"""
