"""image_to_chw reshapes (H, W, C) to (C, H, W): the right shape with scrambled pixels."""

import torch

CAUGHT_BY = ["test_image_to_chw_round_trips_bobby", "test_image_to_chw_returns_a_view_of_the_images_memory"]


def image_to_chw(img):
    img = torch.as_tensor(img)
    h, w, c = img.shape
    return img.reshape(c, h, w)
