import pytest

from accounts.rules import (
    HQ,
    account_hierarchy_errors,
    account_name_key,
    business_unit_normalized,
    empty_parent_cell_keeps_parent,
    looks_like_po_box,
)


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
    "street",
    [
        "PO Box 123",
        "P.O. Box 5",
        "Postbus 90",
        "Postfach 1020",
        "BP 12",
        "po box",
        # Written as a tester found them, unwarned and placed at the city centre:
        "PO-Box 12",
        "Postbox 12",
        "Postbus12",
        "B.P. 45",
        "Postf. 12",
        "Antwoordnummer 123",
        "Boîte postale 7",
        "Postfach12",
        "Case postale 12",
    ],
)
def test_po_boxes_are_recognised(street):
    assert looks_like_po_box(street)


@pytest.mark.parametrize(
    "street",
    [
        "Kastanjelaan 12",
        "Boxtelseweg 4",
        "BP Tower Lane 1",
        "",
        "Postbuslaan 3",
        "Postfachstraße 8",
        "Postweg 12",
        "Postboxweg 1",
    ],
)
def test_street_addresses_are_not_po_boxes(street):
    assert not looks_like_po_box(street)


class TestHierarchy:
    """One rule for the account pages, the admin and the import: HQ, own parent, no loop."""

    # A hierarchy 1 <- 2 <- 3 (3's parent is 2, 2's parent is 1), and 8 <-> 9 looping already.
    PARENTS = {1: None, 2: 1, 3: 2, 8: 9, 9: 8}

    def errors(self, *, business_unit="", key=None, parent_key=None, asked=None):
        def parent_of(key):
            if asked is not None:
                asked.append(key)
            return self.PARENTS.get(key)

        return account_hierarchy_errors(
            business_unit=business_unit, key=key, parent_key=parent_key, parent_of=parent_of
        )

    def test_no_parent_is_always_fine(self):
        assert self.errors(business_unit="HQ", key=1) == []

    @pytest.mark.parametrize("unit", ["HQ", "hq", " Hq "])
    def test_a_headquarters_has_no_parent(self, unit):
        assert self.errors(business_unit=unit, key=3, parent_key=1) == [
            "A headquarters (business unit HQ) has no parent account."
        ]

    def test_an_account_is_not_its_own_parent(self):
        assert self.errors(key=2, parent_key=2) == ["An account cannot be its own parent."]

    def test_a_parent_below_the_account_makes_a_loop(self):
        assert self.errors(key=1, parent_key=3) == [
            "This parent would make a loop: the account is above it already."
        ]

    def test_a_loop_above_the_parent_is_refused_and_ends(self):
        assert self.errors(key=1, parent_key=8) == [
            "This parent would make a loop: the account is above it already."
        ]

    def test_a_parent_elsewhere_in_the_hierarchy_is_fine(self):
        assert self.errors(key=5, parent_key=3) == []

    def test_a_new_account_walks_no_chain(self):
        """Nothing can be below an account that is not saved yet: no parent is looked up."""
        asked: list[int] = []
        assert self.errors(key=None, parent_key=3, asked=asked) == []
        assert asked == []


@pytest.mark.parametrize(
    ("unit", "expected"), [("hq", HQ), (" HQ ", HQ), ("Hq", HQ), ("HQ Benelux", "HQ Benelux")]
)
def test_any_spelling_of_hq_is_stored_as_hq(unit, expected):
    """The database constraint knows "HQ" only, so "hq" must become "HQ" before a save."""
    assert business_unit_normalized(unit) == expected


@pytest.mark.parametrize(
    ("file_has_parent_id", "parent_crm4_id", "kept"),
    [(False, "", True), (False, "IK-1", False), (True, "", False), (True, "IK-1", False)],
)
def test_an_empty_parent_cell_keeps_a_parent_the_file_could_not_name(
    file_has_parent_id, parent_crm4_id, kept
):
    """Without a parent_id column a file names parents by CRM4 id, so not one without it."""
    assert (
        empty_parent_cell_keeps_parent(
            file_has_parent_id=file_has_parent_id, parent_crm4_id=parent_crm4_id
        )
        is kept
    )
