from decimal import Decimal as D

from sales.totals import document_totals, line_amount


def test_a_line_is_quantity_times_price_less_discount():
    assert line_amount(quantity=D("3"), unit_price=D("19.99"), discount_percent=D("10")) == D(
        "53.97"
    )


def test_half_a_cent_rounds_up():
    assert line_amount(quantity=D("1"), unit_price=D("0.05"), discount_percent=D("50")) == D("0.03")


def test_totals_add_vat_on_the_subtotal():
    result = document_totals(amounts=[D("100.00"), D("33.33")], vat_rate=D("21"))
    assert (result.subtotal, result.vat, result.total) == (D("133.33"), D("28.00"), D("161.33"))


def test_no_lines_is_zero():
    result = document_totals(amounts=[], vat_rate=D("21"))
    assert result.total == D("0.00")
