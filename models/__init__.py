"""Model assets: pretrained encoders converted for local, offline use."""
