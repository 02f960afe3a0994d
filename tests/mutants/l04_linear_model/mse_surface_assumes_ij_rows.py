"""mse_surface reads the w values from W's first column and the b values from
B's first row: right only for an "ij" meshgrid."""

import torch

CAUGHT_BY = ["test_mse_surface_keeps_the_shape_of_any_grid"]


def mse_surface(xs, ys, W, B):
    if W.dim() != 2:
        return ((W[..., None] * xs + B[..., None] - ys) ** 2).mean(dim=-1)
    ws, bs = W[:, 0], B[0, :]
    out = torch.empty(len(ws), len(bs), dtype=W.dtype)
    for i, w in enumerate(ws):
        for j, b in enumerate(bs):
            out[i, j] = ((xs * w + b - ys) ** 2).mean()
    return out
