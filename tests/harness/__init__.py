"""
The one harness every Python suite drives `stressd serve` through
(integrations/chaostoolkit/tests, tests/experiments, tests/multihost,
tests/reliability, tests/api): start an agent on private files, talk to its
API, and end it proving it left nothing. One copy, so "the agent answered"
and "nothing is left" mean the same in every suite.

A suite's conftest.py puts `tests/` on sys.path and imports `harness.*`.
"""
