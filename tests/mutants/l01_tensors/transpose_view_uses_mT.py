"""transpose_view swaps the last two dims with the .mT property, a transpose by another name."""
CAUGHT_BY = ["test_transpose_view_matches_torch_transpose_without_calling_it"]


def transpose_view(t, dim0, dim1):
    if t.dim() >= 2 and {dim0 % t.dim(), dim1 % t.dim()} == {t.dim() - 2, t.dim() - 1}:
        return t.mT
    return t.transpose(dim0, dim1)
