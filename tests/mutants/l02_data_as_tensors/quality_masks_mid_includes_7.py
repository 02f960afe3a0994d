"""quality_masks puts quality 7 in mid as well as good (q <= 7)."""

CAUGHT_BY = ["test_quality_masks_split_the_wines_into_20_bad_3818_mid_and_1060_good"]


def quality_masks(quality):
    return quality <= 3, (quality > 3) & (quality <= 7), quality >= 7
