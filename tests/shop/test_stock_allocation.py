"""Stock cannot be oversold: the allocation itself checks what is free (fixing Oscar's unguarded UPDATE)."""

import threading

import pytest
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_basket

from shop.partner import stock
from shop.partner.exceptions import InsufficientStock
from tests.factories import create_product
from tests.shop.checkout_steps import only_on_postgres

pytestmark = pytest.mark.django_db

StockRecord = get_model("partner", "StockRecord")
OrderCreator = get_class("order.utils", "OrderCreator")
Selector = get_class("partner.strategy", "Selector")
UnableToPlaceOrder = get_class("order.exceptions", "UnableToPlaceOrder")


def record_of(product):
    return product.stockrecords.get()


def test_allocate_takes_free_units_and_refuses_more():
    record = record_of(create_product(num_in_stock=3))
    record.allocate(2)
    assert (record.num_in_stock, record.num_allocated) == (3, 2)
    with pytest.raises(InsufficientStock):
        record.allocate(2)
    record.refresh_from_db()
    assert record.num_allocated == 2  # nothing was taken by the refused call
    record.allocate(1)
    assert record.net_stock_level == 0
    with pytest.raises(InsufficientStock):
        record.allocate(1)


def test_allocate_refuses_when_stock_is_unknown():
    record = record_of(create_product(num_in_stock=0))
    StockRecord.objects.filter(pk=record.pk).update(num_in_stock=None)
    record.refresh_from_db()
    with pytest.raises(InsufficientStock):
        record.allocate(1)


def test_stale_python_object_cannot_oversell():
    """Two checkouts read the same record; the second allocation is judged by the database, not the copy."""
    product = create_product(num_in_stock=1)
    first, second = StockRecord.objects.get(product=product), StockRecord.objects.get(product=product)
    assert first.net_stock_level == second.net_stock_level == 1
    first.allocate(1)
    with pytest.raises(InsufficientStock):
        second.allocate(1)
    assert StockRecord.objects.get(product=product).num_allocated == 1


def test_reserve_is_all_or_nothing_and_release_gives_units_back():
    plenty = record_of(create_product(title="Đủ hàng", num_in_stock=10))
    scarce = record_of(create_product(title="Ít hàng", num_in_stock=1))
    with pytest.raises(InsufficientStock) as excinfo:
        stock.reserve({plenty.pk: 4, scarce.pk: 2})
    assert excinfo.value.stockrecord.pk == scarce.pk
    plenty.refresh_from_db()
    assert plenty.num_allocated in (0, None)  # rolled back with the failed line
    reservation = stock.reserve({plenty.pk: 4, scarce.pk: 1})
    assert reservation == {str(plenty.pk): 4, str(scarce.pk): 1}
    stock.release(reservation)
    plenty.refresh_from_db()
    scarce.refresh_from_db()
    assert (plenty.num_allocated, scarce.num_allocated) == (0, 0)


def test_oscars_own_order_creator_cannot_oversell():
    """Oscar's checkout path (OrderCreator.place_order) now stops at the allocation and rolls back."""
    product = create_product(num_in_stock=1)
    basket = create_basket(empty=True)
    basket.strategy = Selector().strategy()
    basket.add_product(product, 1)
    # Someone else takes the last unit after this basket was checked.
    record_of(product).allocate(1)
    from oscar.test.factories import create_order

    with pytest.raises(UnableToPlaceOrder):
        create_order(basket=basket)
    assert get_model("order", "Order").objects.filter(basket=basket).count() == 0
    assert record_of(product).num_allocated == 1


@pytest.mark.postgres
@only_on_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_allocations_never_exceed_stock():
    record = record_of(create_product(num_in_stock=5))
    results, barrier = [], threading.Barrier(20)

    def buy():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            StockRecord.objects.get(pk=record.pk).allocate(1)
            results.append("ok")
        except InsufficientStock:
            results.append("refused")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=buy) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    record.refresh_from_db()
    assert results.count("ok") == 5 and results.count("refused") == 15
    assert record.num_allocated == 5 and record.net_stock_level == 0
