"""handouts: clinic-branded, printable PDF exercise handouts from a YAML library."""

__version__ = "0.1.0"
