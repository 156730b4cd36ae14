"""The `make bench` harness: fixture repositories, measurement and the report."""
