"""gcmreview: validate and compile voluntary reviews of the Global Compact for Migration."""

__version__ = "0.1.0"
