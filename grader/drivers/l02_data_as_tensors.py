"""Runs inside the sandbox: the lesson-02 check that needs an image the
student's code must not copy (the wire carries only fresh copies)."""

from __future__ import annotations

import torch

from grader.drivers.common import students_turn


def layout(img) -> tuple:
    """Shape and strides of an image given as a tensor or a numpy array."""
    strides = img.stride() if isinstance(img, torch.Tensor) else img.strides
    return tuple(img.shape), tuple(strides)


def image_view_after_write(student, image: torch.Tensor, as_numpy: bool) -> dict:
    """The student's ``image_to_chw`` of ``image`` (H, W, C) uint8, handed
    over as a numpy array or a tensor: whether the call left the caller's
    image as it was (shape, strides, values); then its values before and
    after the top-left 2 x 3 pixels of the input were set to 7 in place, and
    what ``image_to_chw`` makes of the changed image when called afresh."""
    img = image.numpy().copy() if as_numpy else image.clone()
    given = layout(img)
    with students_turn():
        chw = student.image_to_chw(img)
        before = chw.clone()
    if layout(img) != given or not torch.equal(torch.as_tensor(img), image):
        return {"caller_kept": False, "caller_shape": tuple(img.shape), "before": before}
    img[:2, :3] = 7
    with students_turn():
        return {
            "caller_kept": True,
            "before": before,
            "after": chw.clone(),
            "fresh": student.image_to_chw(img).clone(),
        }
