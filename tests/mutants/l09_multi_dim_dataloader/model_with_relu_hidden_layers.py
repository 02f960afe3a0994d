"""Correct code that must pass (CAUGHT_BY = []), the accuracy check included
(TRAINS_IN): the ReLU variant of the lecture's network from one set of notes,
ReLU after the two hidden layers and a sigmoid at the end. The accuracy check
used to train at lr 2.0, chosen for sigmoid layers, where this network
reached 0.604 (issue 21)."""

import torch

CAUGHT_BY = []
TRAINS_IN = ["test_model_reaches_70_percent_held_out_accuracy_on_diabetes"]


class DiabetesModel(torch.nn.Module):
    def __init__(self):
        super(DiabetesModel, self).__init__()  # noqa: UP008 - as the notes write it
        self.linear1 = torch.nn.Linear(8, 6)
        self.linear2 = torch.nn.Linear(6, 4)
        self.linear3 = torch.nn.Linear(4, 1)
        self.sigmoid = torch.nn.Sigmoid()
        self.activate = torch.nn.ReLU()

    def forward(self, x):
        x = self.activate(self.linear1(x))
        x = self.activate(self.linear2(x))
        x = self.sigmoid(self.linear3(x))
        return x
