"""Public information: the static catalogue website and the Open311 export."""
