"""train_hello computes the loss and its gradients but never calls optimizer.step():
the weights never move, and it returns the untrained model's guess."""

import torch
from torch import nn

CAUGHT_BY = [
    "test_train_hello_lowers_the_loss_and_returns_the_trained_models_prediction",
    "test_hello_rnn_cell_model_reaches_ohlol",
    "test_hello_rnn_model_reaches_ohlol",
    "test_hello_embedding_model_reaches_ohlol",
]


def train_hello(model, epochs=15, lr=0.1):
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    target = torch.tensor(OHLOL)
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = criterion(hello_logits(model), target)
        loss.backward()
    with torch.no_grad():
        predicted = hello_logits(model).argmax(dim=1)
    return "".join(IDX2CHAR[i] for i in predicted.tolist())
