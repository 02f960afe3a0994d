"""make_loader copies the lecture's shuffle=True and ignores its argument."""

from torch.utils.data import DataLoader

CAUGHT_BY = ["test_loader_shuffles_only_when_asked"]


def make_loader(dataset, batch_size, shuffle):
    return DataLoader(dataset, batch_size=batch_size, shuffle=True)
