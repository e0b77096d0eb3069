"""Building blocks of the `seed_demo` command: a deterministic French demo data set."""
