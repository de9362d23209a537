import pytest

from accounts.rules import account_name_key, looks_like_po_box


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Bodywork Group B.V.", "bodywork group bv"),
        ("Müller GmbH", "Muller"),
        ("Acme Ltd.", "ACME limited"),
        ("Acme, Inc", "acme"),
        ("Smith & Co.", "Smith"),
        ("Van Dijk B.V.", "van dijk"),
    ],
)
def test_names_differing_in_case_punctuation_or_legal_form_match(a, b):
    """Names that differ only in case, accents, punctuation or legal form have one key."""
    assert account_name_key(a) == account_name_key(b)


@pytest.mark.parametrize(("a", "b"), [("Acme Tools", "Acme"), ("Philips Lighting", "Philips")])
def test_different_names_do_not_match(a, b):
    assert account_name_key(a) != account_name_key(b)


def test_a_name_that_is_only_a_legal_form_keeps_it():
    """A company called "AG" is not reduced to nothing."""
    assert account_name_key("AG") == "ag"


@pytest.mark.parametrize(
    "street", ["PO Box 123", "P.O. Box 5", "Postbus 90", "Postfach 1020", "BP 12", "po box"]
)
def test_po_boxes_are_recognised(street):
    assert looks_like_po_box(street)


@pytest.mark.parametrize("street", ["Kastanjelaan 12", "Boxtelseweg 4", "BP Tower Lane 1", ""])
def test_street_addresses_are_not_po_boxes(street):
    assert not looks_like_po_box(street)
