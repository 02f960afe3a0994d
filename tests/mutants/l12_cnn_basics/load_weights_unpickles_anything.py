"""load_weights reads the file with weights_only=False (a full unpickle)."""

CAUGHT_BY = ["test_load_weights_refuses_a_file_that_would_run_code"]


def load_weights(model_cls, path):
    model = model_cls()
    model.load_state_dict(torch.load(path, weights_only=False))
    return model
