"""The work a delivery or a schedule tick starts: plans over lists and curation, written through
github, answered in one reply.
"""
