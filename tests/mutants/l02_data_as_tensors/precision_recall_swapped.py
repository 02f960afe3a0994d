"""precision_recall divides by the actual positives for precision and the predicted ones for recall."""

CAUGHT_BY = [
    "test_precision_recall_on_hand_made_predictions",
    "test_precision_recall_of_the_sulfur_rule_are_the_books_0_74_and_0_62",
]


def precision_recall(predicted, actual):
    tp = (predicted & actual).sum().item()
    return tp / actual.sum().item(), tp / predicted.sum().item()
