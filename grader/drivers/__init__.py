"""Code that runs inside the sandboxed worker to exercise an implementation:
training loops and predictions for accuracy checks. One module per lesson,
named like the lesson; each public function takes the student's module first.
Import everything at the top of the module: once student code is loaded the
worker refuses new imports of ``grader``."""
