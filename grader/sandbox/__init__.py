"""The sandbox: where student code runs, and the grader's side of it.

Trusted side (the grading process):
  ``host``     the grader's handle on one worker process: life cycle, limits, deadlines, captured output
  ``proxies``  ``Student``, ``Remote``, ``Gradients``: what suites use to reach the student's code
  ``errors``   ``StudentError`` and ``GraderFault``, and how a worker's error reply becomes one
  ``reaper``   kills what escaped a worker's process group
  ``cputime``  the CPU time a worker used, which its time limits count
  ``threads``  how many torch threads a worker runs with
Both sides:
  ``wire``     the message format and the checks on everything the worker sends
Sandboxed side (the worker process):
  ``worker``   imports the lesson file and serves requests
  ``confine``  Landlock, seccomp, resource limits and the uid drop, set up as the worker starts

This module imports nothing, so that the worker loads only what it needs.
"""
