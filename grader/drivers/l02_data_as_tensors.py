"""Runs inside the sandbox: the lesson-02 check that needs an image the
student's code must not copy (the wire carries only fresh copies)."""

from __future__ import annotations

import torch

from grader.drivers.common import students_turn


def image_view_after_write(student, image: torch.Tensor, as_numpy: bool) -> dict:
    """The student's ``image_to_chw`` of ``image`` (H, W, C) uint8, handed
    over as a numpy array or a tensor: its values before and after the
    top-left 2 x 3 pixels of the input were set to 7 in place, and what
    ``image_to_chw`` makes of the changed image when called afresh."""
    img = image.numpy().copy() if as_numpy else image.clone()
    with students_turn():
        chw = student.image_to_chw(img)
        before = chw.clone()
        img[:2, :3] = 7
        return {"before": before, "after": chw.clone(), "fresh": student.image_to_chw(img).clone()}
