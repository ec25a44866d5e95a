"""Personal data: subject access exports and erasure (docs/privacy.md)."""
