"""make_loader passes drop_last=True: the smaller last batch is lost."""

from torch.utils.data import DataLoader

CAUGHT_BY = [
    "test_loader_of_a_10_row_file_gives_batches_of_4_4_2_with_every_row_once",
    "test_loader_shuffles_only_when_asked",
]


def make_loader(dataset, batch_size, shuffle):
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, drop_last=True)
