"""arshif: a searchable archive of Arabic news, published with Datasette."""

__version__ = "0.1.0"
