"""Health care inside the prison, delivered by the municipality's health service (RULES.md § 10).

Its data lives behind its own database alias (``health``). Other contexts import only
``normalitet.health.facade``, which tells them the few derived facts they may know.
"""
