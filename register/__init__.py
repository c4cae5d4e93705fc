"""The national register of IINs as an external system: one port, an embedded and a remote adapter.

`register.port` says what the service asks of the register, `register.matching` how a person is
looked for through it, `register.embedded` keeps the register in PostgreSQL (the local stack and the
tests), `register.remote` talks HTTP to a national register (docs/register.md), and
`register.simulator` serves that HTTP contract on a store of its own, with faults to switch on.
"""
