"""contiguous_strides multiplies the sizes to the left: (3, 4, 5) -> (1, 3, 12), column-major."""

CAUGHT_BY = ["test_contiguous_strides_are_products_of_the_sizes_to_the_right"]


def contiguous_strides(shape):
    strides, step = [], 1
    for size in shape:
        strides.append(step)
        step *= size
    return tuple(strides)
