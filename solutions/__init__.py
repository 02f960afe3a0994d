"""One module per lesson, listed in grader/lessons.py.

solutions/ holds the reference implementations; exercises/ is generated from
it by `practice build`, with each solution region replaced by a stub.
"""
