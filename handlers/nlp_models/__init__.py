"""The classifier's life in service: versions, the active one, the learning loop, label review.

Staff confirmations and corrections (``ClassificationLabel``) are the loop's
food.  A run trains a candidate on the team corpus plus the usable labels,
measures it beside the installed version on the team's evaluation set and on
a held-out slice of staff labels, and installs it only when it is better
(``loop.judge``).  Every process follows the active version through one row
(``versions.database_source``), so an install or a roll-back reaches the web
workers, the inbound worker and the scheduler within seconds, without a restart.
"""

from handlers.nlp_models.store import ModelStore

__all__ = ["ModelStore"]
