"""Looking for a person in the register: the probe's lookups, turned into candidates and banded.

The bands are the service's own rules (rules/matching.py), applied to what the register returns, so
an embedded and a remote register are searched in exactly the same way.
"""

import asyncio
from dataclasses import dataclass

from iin_models.national_register import NameKeyQuery, Particulars, SimilarNameQuery
from register.port import RegisterLookups
from rules.matching import SIMILAR_NAME, Band, Candidate, MatchBasis, MatchProbe, classify, probe_for


@dataclass(frozen=True)
class RegistryMatch:
    """A registered person the applicant matches, the band and the basis."""

    iin: str
    band: Band
    basis: MatchBasis


async def find_candidates(lookups: RegisterLookups, probe: MatchProbe) -> list[Candidate]:
    """Registered people sharing the probe's document number, a name key, or a similar name."""
    all_keys = probe.keys.full | probe.keys.partial
    # Every key on the birth date; only the whole-name spellings on the dates one slip away, which
    # keeps the lookups small for Cyrillic names (up to 64 keys each).
    key_queries = [
        NameKeyQuery(birth_dates=sorted(dates), keys=sorted(keys))
        for dates, keys in (([probe.birth_date], all_keys), (probe.near_birth_dates, probe.spellings & all_keys))
        if dates and keys
    ]
    similar = SimilarNameQuery(
        birth_dates=sorted(probe.similar_name_dates), spellings=sorted(probe.spellings), threshold=SIMILAR_NAME
    )
    # All at once: through a remote register each lookup is a round trip.
    documents = asyncio.create_task(lookups.document_holders(probe.number))
    similar_names = asyncio.create_task(lookups.similar_name_holders(similar))
    by_keys = await asyncio.gather(*(lookups.name_key_holders(query) for query in key_queries))
    candidates = [
        Candidate(
            iin=h.iin,
            birth_date=h.birth_date,
            citizenship=h.citizenship,
            sex=h.sex,
            same_document=h.issuing_state == probe.issuing_state,
            same_number_other_state=h.issuing_state != probe.issuing_state,
        )
        for h in await documents
    ]
    for holders in by_keys:
        for h in holders:
            full = h.full_name and h.name_key in probe.keys.full
            candidates.append(
                Candidate(
                    iin=h.iin,
                    birth_date=h.birth_date,
                    citizenship=h.citizenship,
                    sex=h.sex,
                    full_key=full,
                    partial_key=not full,
                )
            )
    candidates += [
        Candidate(
            iin=h.iin,
            birth_date=h.birth_date,
            citizenship=h.citizenship,
            sex=h.sex,
            similarity=h.similarity,
            name_key=h.name_key,
        )
        for h in await similar_names
    ]
    return candidates


async def find_matches(lookups: RegisterLookups, person: Particulars) -> list[RegistryMatch]:
    """Registered people the person is (certain band) or may be (probable band), certain first."""
    probe = probe_for(person)
    return [RegistryMatch(m.iin, m.band, m.basis) for m in classify(probe, await find_candidates(lookups, probe))]
