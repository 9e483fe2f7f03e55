"""Pure planning rules: dates and parameters, no Django."""
