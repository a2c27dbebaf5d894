"""Models of the capacity app."""
