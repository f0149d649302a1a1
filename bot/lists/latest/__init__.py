"""The latest-papers block: its table rows, merging new papers in, and the archive."""
