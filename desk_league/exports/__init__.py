"""Files the app writes: Excel registers (``register``) and PDFs (``pdf``).

Exports take plain rows and a declarative column list, never ORM objects, so a service can feed
them from any query and a test can feed them a list of dicts.
"""
