"""image_to_chw goes through torch.tensor, which copies: no longer a view of the image."""

import torch

CAUGHT_BY = ["test_image_to_chw_returns_a_view_of_the_images_memory"]


def image_to_chw(img):
    return torch.tensor(img).permute(2, 0, 1)
