"""predict_country forgets model.eval(): dropout still changes the scores."""

import torch

CAUGHT_BY = ["test_predict_country_names_the_top_scoring_country"]


def predict_country(model, name, country_list):
    padded, lengths, _ = make_batch([name], [0])
    with torch.no_grad():
        return country_list[model(padded, lengths).argmax(dim=1).item()]
