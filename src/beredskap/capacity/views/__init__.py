"""HTML views of the capacity app, split by concept."""
