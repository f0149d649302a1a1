"""Which section a paper belongs in, and whether it is on topic: features, models, explanations. Pure:
imports lists and papers, never github, web or jobs.
"""
