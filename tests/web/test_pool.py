"""Pooled connections: a connection that died while idle is replaced before a request uses
it, so no one gets an error for it (busy connections are not pinged: see bench/README)."""

from trainer.extensions import db


def idle_records(engine) -> list:
    return list(engine.pool._pool.queue)


def test_a_connection_that_died_while_idle_is_replaced(app, client):
    engine = db.engine
    db.session.remove()
    with engine.connect() as connection:
        connection.exec_driver_sql("SELECT 1")
    records = idle_records(engine)
    assert records
    for record in records:  # the server restarted: every pooled connection is gone
        record.info["checked_in"] = 0
        record.dbapi_connection.close()
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT 1").scalar() == 1
    assert client.get("/login").status_code == 200

