from decimal import Decimal

import pytest

from xianfeng.dues.rules import RULES, Rule, chosen_amount_error, goes_to_centre, monthly_dues

D = Decimal


@pytest.mark.parametrize(
    ("income", "due"),
    [
        ("0", "0.00"),
        ("2999.99", "15.00"),
        ("3000.00", "15.00"),  # 3,000.00 is "up to 3,000": 0.5%
        ("3000.01", "30.00"),  # 1% of the whole income, rounded half-up
    ],
)
def test_salaried_up_to_3000(income, due):
    assert monthly_dues("salaried", D(income)) == D(due)


@pytest.mark.parametrize(("income", "due"), [("5000.00", "50.00"), ("5000.01", "75.00")])
def test_salaried_3000_to_5000(income, due):
    assert monthly_dues("salaried", D(income)) == D(due)


@pytest.mark.parametrize(("income", "due"), [("10000.00", "150.00"), ("10000.01", "200.00")])
def test_salaried_5000_to_10000_and_above(income, due):
    assert monthly_dues("salaried", D(income)) == D(due)


def test_salaried_above_10000():
    assert monthly_dues("salaried", D("12345.67")) == D("246.91")


def test_rounding_half_up():
    assert monthly_dues("salaried", D("1001.00")) == D("5.01")  # 5.005 → 5.01


@pytest.mark.parametrize(("income", "due"), [("5000.00", "25.00"), ("5000.01", "50.00")])
def test_retirees(income, due):
    assert monthly_dues("retired", D(income)) == D(due)


@pytest.mark.parametrize(
    ("category", "due"), [("farmer", "0.50"), ("student", "0.20"), ("no_income", "0.20")]
)
def test_fixed_amounts_ignore_income(category, due):
    assert monthly_dues(category, D("0")) == D(due)
    assert monthly_dues(category, D("8000")) == D(due)


def test_every_row_is_cited():
    assert all("关于中国共产党党费收缴、使用和管理的规定" in rule.source for rule in RULES)


def test_settings_override(settings):
    settings.XIANFENG_DUES_RULES = [Rule("farmer", None, fixed=D("1.00"), source="本地规定")]
    assert monthly_dues("farmer", 0) == D("1.00")


def test_voluntary_to_centre_threshold():
    assert goes_to_centre(D("1000.00"))
    assert not goes_to_centre(D("999.99"))


@pytest.mark.parametrize(
    ("amount", "ok"),
    [("0.19", False), ("0.20", True), ("1.00", True), ("1.01", False)],
)
def test_farmer_amount_chosen_within_range(amount, ok):
    assert (chosen_amount_error("farmer", Decimal(amount)) is None) is ok


def test_farmer_chosen_amount_is_the_monthly_due():
    assert monthly_dues("farmer", 0, Decimal("0.80")) == Decimal("0.80")
    assert monthly_dues("farmer", 0) == Decimal("0.50")


def test_only_farmers_choose_an_amount():
    assert chosen_amount_error("salaried", Decimal("0.5")) is not None


@pytest.mark.parametrize(("amount", "centre"), [("999.99", False), ("1000.00", True)])
def test_voluntary_centre_edge(amount, centre):
    assert goes_to_centre(Decimal(amount)) is centre
