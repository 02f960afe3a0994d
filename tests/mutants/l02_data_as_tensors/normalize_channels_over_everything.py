"""normalize_channels uses one mean and std for all channels together."""

CAUGHT_BY = ["test_normalize_channels_gives_each_channel_of_the_cats_mean_0_and_std_1"]


def normalize_channels(batch):
    x = batch.float()
    return (x - x.mean()) / x.std()
