"""The version, read by the build (hatch) and by every cache key."""

__version__ = "0.1.0"
