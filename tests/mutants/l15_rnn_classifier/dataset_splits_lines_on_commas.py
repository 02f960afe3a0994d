"""NameDataset splits each line on ',' instead of using the csv module: a name
that contains a comma ("Jevolojnov,") loses it."""

import gzip

CAUGHT_BY = ["test_name_dataset_reads_every_name_of_the_training_file"]
_original_init = NameDataset.__init__


def _init(self, path):
    _original_init(self, path)
    with gzip.open(path, "rt") as f:
        parts = [line.strip().split(",") for line in f]
    self.names = [p[0].strip('"') for p in parts]


NameDataset.__init__ = _init
