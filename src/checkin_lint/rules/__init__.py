"""Rules as data: the rule model, its strict schema, and the loader for rule directories."""
