"""CUAD's 41 clause categories, in CUAD's order: a stable key, CUAD's exact name, and what the clause does."""

from dataclasses import dataclass
from typing import Annotated

from pydantic import AfterValidator, StringConstraints


@dataclass(frozen=True, slots=True)
class ClauseCategory:
    key: str
    name: str
    description: str


CATEGORIES: tuple[ClauseCategory, ...] = (
    ClauseCategory("document_name", "Document Name", "The title the contract gives itself."),
    ClauseCategory("parties", "Parties", "The persons or organisations that sign the contract."),
    ClauseCategory("agreement_date", "Agreement Date", "The date the contract is dated or signed."),
    ClauseCategory("effective_date", "Effective Date", "When the contract's obligations begin to apply."),
    ClauseCategory("expiration_date", "Expiration Date", "When the initial term of the contract ends."),
    ClauseCategory(
        "renewal_term", "Renewal Term", "How long the contract runs again when it renews after its initial term."
    ),
    ClauseCategory(
        "notice_period_to_terminate_renewal",
        "Notice Period To Terminate Renewal",
        "How much advance notice a party must give to stop the contract from renewing.",
    ),
    ClauseCategory("governing_law", "Governing Law", "Which state's or country's law governs the contract."),
    ClauseCategory(
        "most_favored_nation",
        "Most Favored Nation",
        "A promise that a party gets terms at least as good as any better terms later offered to a third party.",
    ),
    ClauseCategory(
        "competitive_restriction_exception",
        "Competitive Restriction Exception",
        "A carve-out that lets a party do something a non-compete, exclusivity or no-solicit clause otherwise forbids.",
    ),
    ClauseCategory(
        "non_compete",
        "Non-Compete",
        "A restriction on a party competing with the other, or operating in a field, territory or market.",
    ),
    ClauseCategory(
        "exclusivity",
        "Exclusivity",
        "An exclusive dealing commitment: a party may only buy from, sell to or work with the counterparty.",
    ),
    ClauseCategory(
        "no_solicit_of_customers",
        "No-Solicit Of Customers",
        "A ban on soliciting the counterparty's customers or clients, often for a while after the contract ends.",
    ),
    ClauseCategory(
        "no_solicit_of_employees",
        "No-Solicit Of Employees",
        "A ban on soliciting or hiring the counterparty's employees or contractors.",
    ),
    ClauseCategory(
        "non_disparagement",
        "Non-Disparagement",
        "A promise not to say or publish anything that disparages the counterparty.",
    ),
    ClauseCategory(
        "termination_for_convenience",
        "Termination For Convenience",
        "A party's right to end the contract without cause, usually on notice.",
    ),
    ClauseCategory(
        "rofr_rofo_rofn",
        "Rofr/Rofo/Rofn",
        "A right of first refusal, first offer or first negotiation before a deal is made with a third party.",
    ),
    ClauseCategory(
        "change_of_control",
        "Change Of Control",
        "A right to terminate, or a need for consent or notice, when a party merges, is acquired or changes control.",
    ),
    ClauseCategory(
        "anti_assignment",
        "Anti-Assignment",
        "A requirement of consent or notice before a party may assign the contract or its rights.",
    ),
    ClauseCategory(
        "revenue_profit_sharing",
        "Revenue/Profit Sharing",
        "A duty to share revenue or profit with the counterparty, such as royalties or a percentage of sales.",
    ),
    ClauseCategory(
        "price_restrictions",
        "Price Restrictions",
        "A limit on raising or lowering prices of the goods or services concerned.",
    ),
    ClauseCategory(
        "minimum_commitment",
        "Minimum Commitment",
        "A minimum amount or number of units a party must buy, sell or pay for within a period.",
    ),
    ClauseCategory(
        "volume_restriction",
        "Volume Restriction",
        "A fee increase or consent requirement once use passes a threshold, such as a number of users or units.",
    ),
    ClauseCategory(
        "ip_ownership_assignment",
        "Ip Ownership Assignment",
        "Who owns intellectual property a party creates, and any assignment of it to the counterparty.",
    ),
    ClauseCategory(
        "joint_ip_ownership",
        "Joint Ip Ownership",
        "Intellectual property that the parties own together.",
    ),
    ClauseCategory(
        "license_grant",
        "License Grant",
        "A licence from one party to the other to use intellectual property, software or content.",
    ),
    ClauseCategory(
        "non_transferable_license",
        "Non-Transferable License",
        "A limit on transferring or sublicensing a licence granted under the contract.",
    ),
    ClauseCategory(
        "affiliate_license_licensor",
        "Affiliate License-Licensor",
        "A licence that covers intellectual property of the licensor's affiliates.",
    ),
    ClauseCategory(
        "affiliate_license_licensee",
        "Affiliate License-Licensee",
        "A licence that extends to the licensee's affiliates.",
    ),
    ClauseCategory(
        "unlimited_all_you_can_eat_license",
        "Unlimited/All-You-Can-Eat-License",
        "A licence with no limit on the number of users, copies or uses.",
    ),
    ClauseCategory(
        "irrevocable_or_perpetual_license",
        "Irrevocable Or Perpetual License",
        "A licence that cannot be revoked or that never expires.",
    ),
    ClauseCategory(
        "source_code_escrow",
        "Source Code Escrow",
        "A deposit of source code with an escrow agent, released to the licensee on events such as insolvency.",
    ),
    ClauseCategory(
        "post_termination_services",
        "Post-Termination Services",
        "Duties that continue after the contract ends, such as transition help, wind-down or return of materials.",
    ),
    ClauseCategory(
        "audit_rights",
        "Audit Rights",
        "A party's right to inspect or audit the other's books, records or premises.",
    ),
    ClauseCategory(
        "uncapped_liability",
        "Uncapped Liability",
        "Liability that is not limited, often for breaches such as confidentiality or for indemnities.",
    ),
    ClauseCategory(
        "cap_on_liability",
        "Cap On Liability",
        "A ceiling on the damages a party can owe, such as the fees paid or a fixed amount.",
    ),
    ClauseCategory(
        "liquidated_damages",
        "Liquidated Damages",
        "A fixed sum or formula a party pays on a breach or on early termination instead of proven damages.",
    ),
    ClauseCategory(
        "warranty_duration",
        "Warranty Duration",
        "How long a warranty on the goods, services or work lasts.",
    ),
    ClauseCategory(
        "insurance",
        "Insurance",
        "A requirement to carry insurance, such as liability cover of a stated amount, or to name an insured.",
    ),
    ClauseCategory(
        "covenant_not_to_sue",
        "Covenant Not To Sue",
        "A promise not to sue or challenge the counterparty, e.g. over the validity of its intellectual property.",
    ),
    ClauseCategory(
        "third_party_beneficiary",
        "Third Party Beneficiary",
        "A statement that a non-party may enforce the contract, or that no one but the parties may.",
    ),
)

CATEGORY_BY_KEY: dict[str, ClauseCategory] = {category.key: category for category in CATEGORIES}
CATEGORY_BY_NAME: dict[str, ClauseCategory] = {category.name: category for category in CATEGORIES}
CATEGORY_KEYS: list[str] = [category.key for category in CATEGORIES]


def _known_category(value: str) -> str:
    """A category's key from its key or its CUAD name ("Change Of Control" -> change_of_control)."""
    key = value.strip().lower().replace("-", "_").replace(" ", "_").replace("/", "_")
    if key not in CATEGORY_BY_KEY:
        raise ValueError(f"unknown clause category {value!r}; the categories are: {', '.join(CATEGORY_KEYS)}")
    return key


# Not an enum in the schema: 41 keys would cost every host turn ~1,000 characters; answers and errors list them.
CategoryKey = Annotated[str, StringConstraints(min_length=1, max_length=64), AfterValidator(_known_category)]
