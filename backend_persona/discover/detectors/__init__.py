"""One module per ecosystem or file kind; each registers itself with `registry.detector`."""
