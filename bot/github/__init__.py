"""The edge to GitHub: app authentication and tokens, retries, the repository operations, the one-query
snapshot and the rolling pull request. Imports no list or curation logic.
"""
