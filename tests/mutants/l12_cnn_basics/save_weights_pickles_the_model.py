"""save_weights pickles the whole model object instead of its state_dict."""

CAUGHT_BY = ["test_weights_round_trip_through_a_state_dict_file"]


def save_weights(model, path):
    torch.save(model, path)
