"""Tasks of this area of oversight."""
