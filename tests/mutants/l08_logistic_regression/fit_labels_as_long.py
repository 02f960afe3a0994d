"""fit_pass_fail turns the labels into int64 class indices, as for
CrossEntropyLoss: BCELoss refuses them."""

import torch
from torch import nn

CAUGHT_BY = [
    "test_fit_pass_fail_takes_sgd_steps_on_the_summed_bce",
    "test_trained_model_passes_4_hours_and_fails_1_hour",
    "test_decision_boundary_is_where_p_is_one_half_between_2_and_4_hours",
]


def fit_pass_fail(hours, passed, epochs=1000, lr=0.01, model=None):
    model = LogisticRegressionModel() if model is None else model
    criterion = nn.BCELoss(reduction="sum")
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    labels = passed.long()
    for _ in range(epochs):
        loss = criterion(model(hours), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model
