"""Document → text and tables → fields: the rule-based extractor."""
