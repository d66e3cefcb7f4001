"""The book's and the course's tables, as data, the runner that trains them and the report.

``rows`` declares what a row of either table is; ``book`` and ``course`` hold
the tables and how their rows run; ``runner`` selects rows; ``parallel`` runs
them several at a time; ``report`` writes the tables and figures.
"""
