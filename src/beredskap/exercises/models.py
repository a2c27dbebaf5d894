"""Models of the exercises app."""
