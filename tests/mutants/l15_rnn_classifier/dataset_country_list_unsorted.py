"""NameDataset keeps the countries in set order: country_list is not sorted."""

# evaluate then scores the fixed model against other ids than the course's sorted ones
CAUGHT_BY = [
    "test_name_dataset_has_18_sorted_countries_with_inverse_lookups",
    "test_evaluate_counts_every_name_in_eval_mode",
]
_original_init = NameDataset.__init__


def _init(self, path):
    _original_init(self, path)
    self.country_list = list(set(self.countries))
    self.country_ids = {country: i for i, country in enumerate(self.country_list)}


NameDataset.__init__ = _init
