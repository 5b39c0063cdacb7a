"""egovctl: administration toolkit for Indonesian regional government service units."""

__version__ = "0.1.0"
