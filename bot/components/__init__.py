"""Custom Rasa NLU components (French tokenizer)."""
