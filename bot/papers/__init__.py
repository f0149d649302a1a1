"""Papers: references (arXiv ids, links), their metadata, and the arXiv client behind one rate gate.
Imports nothing of bot but settings and errors.
"""
