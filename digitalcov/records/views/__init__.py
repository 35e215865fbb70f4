"""Golden records pages: one module per journey."""
