"""clean_words splits on " " only: newlines stay inside words and double spaces give empty words."""

CAUGHT_BY = ["test_clean_words_gives_the_books_7261_word_vocabulary"]


def clean_words(text):
    return [word.strip(PUNCTUATION) for word in text.lower().split(" ")]
