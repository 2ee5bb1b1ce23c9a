"""`potemkin_citations` and the firm's library of authorities.

`reading` finds the citations (eyecite, and a pattern for reporters eyecite does not know), `structure` judges
whether each can exist (reporters-db, courts-db), `case_names` compares case names, `check` decides each
citation's status from those and from the authorities known to the firm, `library` keeps the firm's authorities,
and `service` fetches the matter's cited authorities through Arkiver's tools and pages the answer.
"""
