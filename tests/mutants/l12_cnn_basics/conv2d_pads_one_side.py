"""conv2d_naive puts all the zero padding after the image (bottom and right)
instead of p rows and columns on every side."""

CAUGHT_BY = [
    "test_conv2d_naive_gives_the_lecture_numbers_with_padding_1",
    "test_conv2d_naive_matches_f_conv2d_on_random_shapes",
    "test_conv2d_naive_gradients_match_f_conv2d",
]


def conv2d_naive(x, weight, padding=0, stride=1):
    n, c_in, h, w = x.shape
    c_out, _, k, _ = weight.shape
    padded = x.new_zeros(n, c_in, h + 2 * padding, w + 2 * padding)
    padded[:, :, :h, :w] = x
    x = padded
    h_out, w_out = conv_output_size(h, k, padding, stride), conv_output_size(w, k, padding, stride)
    out = x.new_zeros(n, c_out, h_out, w_out)
    for a in range(k):
        for b in range(k):
            window = x[:, :, a : a + stride * (h_out - 1) + 1 : stride, b : b + stride * (w_out - 1) + 1 : stride]
            out = out + torch.einsum("nchw,oc->nohw", window, weight[:, :, a, b])
    return out
