"""Which address a request counts against: the peer, unless a trusted proxy forwards for a client."""

import ipaddress

from api.ratelimit import UNKNOWN_CLIENT, client_address

PROXIES = (ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("fd00::/8"))


def test_without_trusted_proxies_the_peer_is_the_client() -> None:
    assert client_address("203.0.113.7", ["192.0.2.1"], ()) == "203.0.113.7"


def test_a_peer_outside_the_trusted_networks_is_the_client_whatever_it_forwards() -> None:
    assert client_address("203.0.113.7", ["192.0.2.1"], PROXIES) == "203.0.113.7"


def test_a_trusted_proxy_forwarding_nothing_is_the_client() -> None:
    assert client_address("10.0.0.5", [], PROXIES) == "10.0.0.5"


def test_behind_a_trusted_proxy_the_client_is_the_hop_it_appended() -> None:
    assert client_address("10.0.0.5", ["198.51.100.4, 192.0.2.1"], PROXIES) == "192.0.2.1"


def test_behind_a_chain_of_trusted_proxies_the_client_is_the_first_untrusted_hop_from_the_right() -> None:
    assert client_address("10.0.0.5", ["198.51.100.4, 192.0.2.1, 10.1.1.1"], PROXIES) == "192.0.2.1"


def test_several_forwarded_headers_read_as_one_list_in_their_order() -> None:
    assert client_address("10.0.0.5", ["198.51.100.4", "192.0.2.1, 10.1.1.1"], PROXIES) == "192.0.2.1"


def test_a_hop_that_is_no_address_ends_the_walk_at_the_last_trusted_proxy() -> None:
    assert client_address("10.0.0.5", ["192.0.2.1, unknown, 10.1.1.1"], PROXIES) == "10.1.1.1"


def test_hops_with_ports_count_by_their_address() -> None:
    assert client_address("10.0.0.5", ["192.0.2.1:4711"], PROXIES) == "192.0.2.1"
    assert client_address("10.0.0.5", ["[2001:db8::1]:443"], PROXIES) == "2001:db8::/64"


def test_an_ipv6_client_counts_by_its_64_block() -> None:
    assert client_address("2001:db8:1:2:aaaa::1", [], ()) == client_address("2001:db8:1:2:bbbb::2", [], ())
    assert client_address("2001:db8:1:2::1", [], ()) != client_address("2001:db8:1:3::1", [], ())


def test_an_ipv4_mapped_ipv6_peer_counts_as_its_ipv4_address() -> None:
    assert client_address("::ffff:203.0.113.7", [], ()) == "203.0.113.7"


def test_a_request_without_a_peer_address_shares_one_count() -> None:
    assert client_address(None, ["192.0.2.1"], PROXIES) == UNKNOWN_CLIENT
