"""l2_penalty goes through .item(): the value is right, but autograd sees a
constant, so the penalty never reaches w and weight decay does nothing."""

import torch

CAUGHT_BY = ["test_l2_penalty_gradient_is_w", "test_weight_decay_3_gives_a_lower_test_loss_and_a_smaller_w"]


def l2_penalty(w):
    return torch.tensor((w**2).sum().item() / 2)
