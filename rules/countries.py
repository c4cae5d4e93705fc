"""Country codes: ISO 3166-1 alpha-3, as in an MRZ, to alpha-2, as in the reference data."""

import pycountry

# Codes ICAO Doc 9303 (Part 3) uses in MRZs besides ISO 3166-1, for states or their nationals. Codes
# that name no state, such as UTO (Utopia, the specimen state), EUE (European Union), UNO/UNA/UNK
# (United Nations), XOM (Order of Malta), XPO (Interpol), XXA (stateless), XXB/XXC (refugees) and XXX
# (unspecified), have no alpha-2 code and are left out.
_ICAO_ALPHA3_TO_ALPHA2 = {
    "D": "DE",  # Germany, written 'D<<'
    "GBD": "GB",  # British Overseas Territories Citizen
    "GBN": "GB",  # British National (Overseas)
    "GBO": "GB",  # British Overseas Citizen
    "GBP": "GB",  # British Protected Person
    "GBS": "GB",  # British Subject
    "RKS": "XK",  # Kosovo: its passports' code; XK is the user-assigned alpha-2 code in common use
}

# ISO 3166-1 as pycountry ships it (the iso-codes database), plus ICAO's own codes.
_ALPHA3_TO_ALPHA2 = {country.alpha_3: country.alpha_2 for country in pycountry.countries} | _ICAO_ALPHA3_TO_ALPHA2


def alpha3_to_alpha2(code: str) -> str | None:
    """Return the ISO 3166-1 alpha-2 code for an MRZ state code, or None if it names no state.

    Takes ISO alpha-3 codes and ICAO's own (D for Germany, GBD..GBS for British nationals, RKS for
    Kosovo), with or without the trailing filler of the MRZ ('D<<'). Returns None for codes of
    organisations, the stateless, refugees, the specimen state UTO, and unknown codes.
    """
    return _ALPHA3_TO_ALPHA2.get(code.rstrip("<"))
