"""train_weight_decay never zeroes the gradients: they pile up over the
minibatches and the updates overshoot, so even lambd = 0 cannot fit."""

import torch

CAUGHT_BY = [
    "test_train_weight_decay_without_decay_fits_the_training_set_but_not_the_test_set",
    "test_weight_decay_3_gives_a_lower_test_loss_and_a_smaller_w",
]


def train_weight_decay(
    lambd: float,
    X_train: torch.Tensor,
    y_train: torch.Tensor,
    X_test: torch.Tensor,
    y_test: torch.Tensor,
    num_epochs: int = 100,
    lr: float = 0.003,
    batch_size: int = 5,
) -> dict:
    w = torch.normal(0.0, 1.0, size=(X_train.shape[1], 1), dtype=X_train.dtype).requires_grad_()
    b = torch.zeros(1, dtype=X_train.dtype, requires_grad=True)

    def squared_loss(X: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return ((X @ w + b - y) ** 2 / 2).mean()

    for _ in range(num_epochs):
        order = torch.randperm(len(X_train))
        for start in range(0, len(X_train), batch_size):
            index = order[start : start + batch_size]
            loss = squared_loss(X_train[index], y_train[index]) + lambd * l2_penalty(w)
            loss.backward()
            with torch.no_grad():
                for param in (w, b):
                    param -= lr * param.grad
    with torch.no_grad():
        return {
            "train_loss": squared_loss(X_train, y_train).item(),
            "test_loss": squared_loss(X_test, y_test).item(),
            "w_norm": w.norm().item(),
        }
