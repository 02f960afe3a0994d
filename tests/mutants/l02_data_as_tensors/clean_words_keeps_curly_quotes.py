"""clean_words strips only ASCII punctuation: “Impossible stays a word of its own."""

CAUGHT_BY = [
    "test_clean_words_gives_the_books_words_of_its_example_line",
    "test_clean_words_gives_the_books_7261_word_vocabulary",
]


def clean_words(text):
    return [word.strip('.,;:"!?_-') for word in text.lower().split()]
