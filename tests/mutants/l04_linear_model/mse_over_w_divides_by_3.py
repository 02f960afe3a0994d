"""mse_over_w copies the lecture's `l_sum / 3`: right for the seed data only."""

import torch

CAUGHT_BY = ["test_mse_over_w_works_for_any_number_of_samples"]


def mse_over_w(xs, ys, ws):
    out = []
    for w in ws:
        l_sum = 0
        for x, y in zip(xs, ys):
            l_sum += loss(x, y, w)
        out.append(l_sum / 3)
    return torch.stack(out)
