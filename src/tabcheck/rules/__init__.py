"""The built-in rules, one module per concern. Each module is a pluggy plugin."""
