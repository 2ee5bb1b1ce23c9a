"""The kinds of clause the engine knows, each with the ways contracts usually phrase it."""

TOPICS: dict[str, tuple[str, ...]] = {
    "termination": ('"terminate this agreement"', '"termination for convenience"', '"upon termination"'),
    "confidentiality": ('"confidential information"', '"non-disclosure"', '"shall keep confidential"'),
    "governing_law": ('"governed by the laws"', '"governing law"', '"construed in accordance with"'),
    "assignment": ('"may not assign"', '"shall not assign"', '"assignment of this agreement"'),
    "indemnification": ('"indemnify and hold harmless"', '"shall indemnify"', '"indemnification"'),
    "limitation_of_liability": ('"limitation of liability"', '"in no event shall"', '"consequential damages"'),
    "non_compete": ('"non-compete"', '"shall not compete"', '"competing business"'),
    "renewal": ('"automatically renew"', '"renewal term"', '"unless either party gives notice"'),
}
