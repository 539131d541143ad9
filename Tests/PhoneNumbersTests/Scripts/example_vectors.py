#!/usr/bin/env python3
"""Prints libphonenumber test vectors as JSON for the Swift cross-check test.

Usage: example_vectors.py REGION [REGION ...]

For every region given, each example number libphonenumber has (one per number
type: fixed line, mobile, toll free, ...) is spelled several ways (national
format, national significant number, E.164, international format, calling code
without plus, IDD-prefixed). The expected result of each spelling is what
libphonenumber itself does with it: `parse(spelling, region)` followed by
`is_valid_number`, giving the E.164 and INTERNATIONAL formats and the owning
region, or null when libphonenumber rejects it.

Output: {"phonenumbers_version": ..., "regions": [...], "missing_regions": [...],
         "vectors": [{"region", "type", "spelling", "input", "e164",
                      "international", "owner"}, ...]}
`missing_regions` lists requested regions libphonenumber has no example for.
"""
import json
import sys

try:
    import phonenumbers
    from phonenumbers import PhoneNumberFormat as Fmt, PhoneNumberType as T
except ImportError:
    sys.stderr.write("python module 'phonenumbers' is missing: pip install phonenumbers\n")
    sys.exit(3)

TYPES = [
    ("FIXED_LINE", T.FIXED_LINE), ("MOBILE", T.MOBILE), ("TOLL_FREE", T.TOLL_FREE),
    ("PREMIUM_RATE", T.PREMIUM_RATE), ("SHARED_COST", T.SHARED_COST), ("VOIP", T.VOIP),
    ("PERSONAL_NUMBER", T.PERSONAL_NUMBER), ("PAGER", T.PAGER), ("UAN", T.UAN),
    ("VOICEMAIL", T.VOICEMAIL),
]


def expected(text, region):
    """What libphonenumber derives from `text` typed for `region`, or None."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return {
        "e164": phonenumbers.format_number(number, Fmt.E164),
        "international": phonenumbers.format_number(number, Fmt.INTERNATIONAL),
        "owner": phonenumbers.region_code_for_number(number),
    }


def spellings(number, region):
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    nsn = phonenumbers.national_significant_number(number)
    code = str(number.country_code)
    result = {
        "national": phonenumbers.format_number(number, Fmt.NATIONAL),
        "nsn": nsn,
        "e164": phonenumbers.format_number(number, Fmt.E164),
        "international": phonenumbers.format_number(number, Fmt.INTERNATIONAL),
        "code_without_plus": code + nsn,
    }
    idd = metadata.preferred_international_prefix or metadata.international_prefix
    if idd and idd.isdigit():
        result["idd"] = idd + " " + code + " " + nsn
    return result


def main(regions):
    vectors, missing = [], []
    for region in regions:
        found = False
        for type_name, number_type in TYPES:
            number = phonenumbers.example_number_for_type(region, number_type)
            if number is None:
                continue
            found = True
            for spelling, text in sorted(spellings(number, region).items()):
                result = expected(text, region)
                vectors.append({
                    "region": region, "type": type_name, "spelling": spelling, "input": text,
                    "e164": result and result["e164"],
                    "international": result and result["international"],
                    "owner": result and result["owner"],
                })
        if not found:
            missing.append(region)
    json.dump({
        "phonenumbers_version": phonenumbers.__version__,
        "regions": regions,
        "missing_regions": missing,
        "vectors": vectors,
    }, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1:])
