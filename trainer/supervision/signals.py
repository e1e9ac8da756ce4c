"""What supervision tells the features that react to it (blinker signals, as Indico does):
they subscribe in their own package, so supervision imports none of them."""

from blinker import Namespace

_signals = Namespace()

rating_submitted = _signals.signal("rating-submitted", doc="""
A rating was submitted (flushed, in the request's transaction); not sent for a blind second
rating. Sender: the rater; keyword `rating`: the SessionRating.
""")
