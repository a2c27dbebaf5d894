"""Models of the modelling app."""
