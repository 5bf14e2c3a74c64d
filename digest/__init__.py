"""digest: turn a folder of articles and feeds into a dated email issue."""

__version__ = "0.1.0"
