"""Reads for capacity, always through visible_to(user) (need-to-know)."""
