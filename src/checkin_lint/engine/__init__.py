"""The matching engine: the spaCy pipeline and the compiled rule matchers."""
