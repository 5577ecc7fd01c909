"""kg: a knowledge graph of English councils and Ofsted inspections of their children's services."""

__version__ = "0.1.0"
