"""Jurisdiction names as contracts write them, mapped to one canonical spelling and the country they are in."""

import re

_US_STATES = [
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware", "Florida",
    "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine",
    "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska",
    "Nevada", "Ohio", "Oklahoma", "Oregon", "Pennsylvania", "Tennessee", "Texas", "Utah", "Vermont", "Virginia",
    "Washington", "Wisconsin", "Wyoming", "New Hampshire", "New Jersey", "New Mexico", "New York",
    "North Carolina", "North Dakota", "Rhode Island", "South Carolina", "South Dakota", "West Virginia",
    "District of Columbia", "Puerto Rico",
]  # fmt: skip
_CANADA = [
    "Ontario", "Quebec", "British Columbia", "Alberta", "Manitoba", "Saskatchewan", "Nova Scotia", "New Brunswick",
    "Newfoundland and Labrador", "Prince Edward Island", "Yukon",
]  # fmt: skip
_AUSTRALIA = [
    "New South Wales", "Victoria", "Queensland", "Western Australia", "South Australia", "Tasmania",
    "Australian Capital Territory", "Northern Territory",
]  # fmt: skip
_UK = ["England and Wales", "England", "Scotland", "Northern Ireland", "Wales"]
_COUNTRIES = [
    "Argentina", "Australia", "Austria", "Bahamas", "Barbados", "Belgium", "Bermuda", "Brazil", "Bulgaria",
    "Canada", "Chile", "China", "Colombia", "Croatia", "Cyprus", "Denmark", "Egypt", "Estonia", "Finland",
    "France", "Germany", "Gibraltar", "Greece", "Guernsey", "Hungary", "Iceland", "India", "Indonesia", "Ireland",
    "Israel", "Italy", "Japan", "Jersey", "Korea", "Latvia", "Liechtenstein", "Lithuania", "Luxembourg",
    "Malaysia", "Malta", "Mauritius", "Mexico", "Monaco", "Netherlands", "Norway", "Pakistan", "Panama", "Peru",
    "Philippines", "Poland", "Portugal", "Romania", "Russia", "Singapore", "Slovakia", "Slovenia", "Spain",
    "Sweden", "Switzerland", "Taiwan", "Thailand", "Turkey", "Ukraine", "Uruguay", "Venezuela", "Vietnam",
    "Hong Kong", "New Zealand", "South Africa", "United Kingdom", "United States", "Cayman Islands",
    "British Virgin Islands", "Czech Republic", "United Arab Emirates", "Saudi Arabia", "Isle of Man",
]  # fmt: skip

# Other spellings that name the same place.
_ALIASES = {
    "People's Republic of China": "China", "PRC": "China", "P.R.C.": "China", "Peoples Republic of China": "China",
    "Federal Republic of Germany": "Germany", "Republic of Korea": "Korea", "South Korea": "Korea",
    "United States of America": "United States", "U.S.A.": "United States", "USA": "United States",
    "U.S.": "United States", "Great Britain": "United Kingdom", "the Netherlands": "Netherlands",
    "The Netherlands": "Netherlands", "Holland": "Netherlands", "Hong Kong SAR": "Hong Kong",
    "Hong Kong Special Administrative Region": "Hong Kong", "Province of Quebec": "Quebec", "Québec": "Quebec",
    "Commonwealth of Massachusetts": "Massachusetts", "Commonwealth of Pennsylvania": "Pennsylvania",
    "Commonwealth of Virginia": "Virginia", "Commonwealth of Kentucky": "Kentucky",
    "Washington, D.C.": "District of Columbia",
    "Washington D.C.": "District of Columbia", "D.C.": "District of Columbia", "Republic of Singapore": "Singapore",
    "Swiss Confederation": "Switzerland", "Republic of Ireland": "Ireland", "Russian Federation": "Russia",
    "Republic of China": "Taiwan", "Kingdom of the Netherlands": "Netherlands", "State of Israel": "Israel",
    "English": "England", "Dutch": "Netherlands", "Swiss": "Switzerland", "German": "Germany", "French": "France",
    "Japanese": "Japan", "Israeli": "Israel", "Chinese": "China", "Indian": "India", "Singaporean": "Singapore",
    "Italian": "Italy", "Spanish": "Spain", "Irish": "Ireland", "Scottish": "Scotland", "Swedish": "Sweden",
    "Danish": "Denmark", "Belgian": "Belgium", "Austrian": "Austria", "Korean": "Korea", "Mexican": "Mexico",
    "Brazilian": "Brazil", "Norwegian": "Norway", "Finnish": "Finland", "Australian": "Australia",
}  # fmt: skip

COUNTRY_OF: dict[str, str] = dict.fromkeys(_US_STATES, "United States")
COUNTRY_OF.update(dict.fromkeys(_CANADA, "Canada"))
COUNTRY_OF.update(dict.fromkeys(_AUSTRALIA, "Australia"))
COUNTRY_OF.update(dict.fromkeys(_UK, "United Kingdom"))
COUNTRY_OF.update({name: name for name in _COUNTRIES})

_CANONICAL: dict[str, str] = {name.lower(): name for name in COUNTRY_OF}
_CANONICAL.update({alias.lower(): name for alias, name in _ALIASES.items()})
_SUBDIVISIONS = frozenset(_US_STATES + _CANADA + _AUSTRALIA + _UK)

_NAMES = sorted(_CANONICAL, key=len, reverse=True)
# Longest first, so "West Virginia" wins over "Virginia" and "England and Wales" over "England".
JURISDICTION = re.compile(
    r"(?<![\w.])(?:" + "|".join(re.escape(name).replace(r"\ ", r"\s+") for name in _NAMES) + r")(?![\w])",
    re.IGNORECASE,
)


def canonical(name: str) -> str | None:
    return _CANONICAL.get(re.sub(r"\s+", " ", name).lower())


def is_subdivision(name: str) -> bool:
    return name in _SUBDIVISIONS
