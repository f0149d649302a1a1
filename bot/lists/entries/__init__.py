"""One entry's learned format: its pieces, title, template and shape, and how a new one is written."""
