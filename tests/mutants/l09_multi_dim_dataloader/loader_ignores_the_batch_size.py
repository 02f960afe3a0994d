"""make_loader copies the lecture's batch_size=32 and ignores its argument."""

from torch.utils.data import DataLoader

CAUGHT_BY = ["test_loader_of_a_10_row_file_gives_batches_of_4_4_2_with_every_row_once"]


def make_loader(dataset, batch_size, shuffle):
    return DataLoader(dataset, batch_size=32, shuffle=shuffle)
