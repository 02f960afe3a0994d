"""name_to_indices lowercases the name first: "Abe" -> [97, 98, 101]."""

CAUGHT_BY = [
    "test_name_to_indices_gives_the_ascii_codes",
    "test_make_batch_pads_with_zeros_and_sorts_by_length_longest_first",
    "test_evaluate_counts_every_name_in_eval_mode",  # the fixed model reads the first character
    "test_predict_country_names_the_top_scoring_country",
]


def name_to_indices(name):
    return [ord(c) for c in name.lower()]
