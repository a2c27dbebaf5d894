"""HTML views of operations, split by concept."""
