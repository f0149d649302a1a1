"""Local fakes of GitHub's REST API and arXiv's query API, served over real HTTP for tests.

Fixtures live in `tests.fakes.plugin`; the fakes' own tests are tests/test_fakes.py.
"""
