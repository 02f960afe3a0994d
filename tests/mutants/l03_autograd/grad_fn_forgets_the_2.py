"""grad_fn drops the factor 2 of d(x^2)/dx: half the true gradient."""

import torch

CAUGHT_BY = [
    "test_grad_fn_at_w_1_b_0_is_the_books_4517_2969_and_82_6",
    "test_grad_fn_equals_autograd_in_float64_at_random_points",
    "test_training_loop_with_lr_1e_2_on_raw_t_u_blows_up_within_11_epochs",
    "test_training_loop_with_lr_1e_4_for_100_epochs_gives_0_2327_and_minus_0_0438",
    "test_training_loop_on_scaled_input_converges_to_5_3671_and_minus_17_3012",
]


def grad_fn(t_u, t_c, t_p, w, b):
    dloss_dtp = (t_p - t_c) / t_p.size(0)
    return torch.stack([(dloss_dtp * t_u).sum(), dloss_dtp.sum()])
