"""Issue 21: outside-style code that fails a check in lessons 11-15 is told
what is wrong in the student's terms (the dtype, the order of equal
lengths, the shape of a layer, train mode), never by an error from the
grader's own computation."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import submission

from grader.report import Status

MUTANTS = Path(__file__).parent / "mutants"

# (lesson, mutant, the check it fails, fragments its message holds)
CASES = [
    (
        "l11_mlp_regularization",
        "polynomial_features_d2l_float32",
        "test_polynomial_features_are_powers_over_factorials",
        ["returned float32", "keep x's dtype"],
    ),
    (
        "l15_rnn_classifier",
        "make_batch_liu_er_unstable_sort",
        "test_make_batch_pads_with_zeros_and_sorts_by_length_longest_first",
        ["names of equal length should keep their order", "stable=True"],
    ),
    (
        "l15_rnn_classifier",
        "classifier_linear_not_doubled",
        "test_classifier_feeds_the_final_hidden_state_of_both_directions_to_fc",
        ["bidirectional=True).fc: weight has shape (18, 7), expected (18, 14)"],
    ),
    (
        "l15_rnn_classifier",
        "evaluate_stays_in_train_mode",
        "test_evaluate_counts_every_name_in_eval_mode",
        ["evaluate ran the model in train mode", "model.eval()"],
    ),
    (
        "l12_cnn_basics",
        "per_class_stays_in_train_mode",
        "test_per_class_accuracy_divides_by_the_samples_of_each_class",
        ["ran the model in train mode", "model.eval()"],
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(("lesson", "mutant", "check", "fragments"), CASES, ids=[case[1] for case in CASES])
def test_the_failure_names_what_is_wrong(lesson, mutant, check, fragments, tmp_path, grade_cli):
    folder = submission(tmp_path, lesson, (MUTANTS / lesson / f"{mutant}.py").read_text())
    result = grade_cli(lesson, "--submission", str(folder), "-k", check).checks()[check]
    assert result["status"] == Status.FAILED, result
    for fragment in fragments:
        assert fragment in result["message"], result["message"]
    assert "Traceback" not in result["message"] and "state_dict" not in result["message"], result["message"]
