"""normalize_channels standardises each channel of each image on its own (dims 2, 3 only)."""

CAUGHT_BY = ["test_normalize_channels_gives_each_channel_of_the_cats_mean_0_and_std_1"]


def normalize_channels(batch):
    x = batch.float()
    return (x - x.mean(dim=(2, 3), keepdim=True)) / x.std(dim=(2, 3), keepdim=True)
