"""The notes' in-place chain: image_to_chw turns the caller's tensor itself
into C x H x W with transpose_ (right values, and a view, but the caller's
image changed shape). Fails only the view check, whose message must say the
caller's image was changed in place, not that it was copied (issue 21)."""

import torch

CAUGHT_BY = ["test_image_to_chw_returns_a_view_of_the_images_memory"]
MESSAGE_HOLDS = ["changed the caller's image in place"]  # the failure message names what is wrong


def image_to_chw(img):
    img = torch.as_tensor(img)
    return img.transpose_(0, 2).transpose_(1, 2)
