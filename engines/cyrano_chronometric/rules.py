"""Court-rule periods a deadline can be counted by: a few federal ones built in, and the firm's own.

The built-in periods are the numbers the Federal Rules of Civil and Appellate Procedure set (their text is not
shipped; titles are ours). A firm rule with a built-in's name replaces it for that firm; removing it brings the
built-in back. Local rules and state rules are the firm's to add (chronometric_rule_set).
"""

from sqlmodel import col, select

from cyrano_chronometric.docket import caller
from cyrano_chronometric.models import Rule, RuleList, RuleNameRequest, RuleRemoved, RuleSetRequest
from cyrano_chronometric.tables import RuleRow
from cyrano_mcp.kit import Database, NoArguments, NotFoundError, utc_now


def _federal(name: str, title: str, count: int, trigger: str, direction: str = "after") -> Rule:
    return Rule(
        name=name, title=title, count=count, unit="day", method="frcp_6a", direction=direction,
        trigger=trigger, jurisdiction="US", builtin=True,
    )  # fmt: skip


BUILTIN_RULES: tuple[Rule, ...] = (
    _federal("frcp_12a_answer", "Answer to the complaint (FRCP 12(a)(1)(A)(i))", 21,
             "service of the summons and complaint"),
    _federal("frcp_12a_answer_after_waiver", "Answer after waiving service (FRCP 12(a)(1)(A)(ii))", 60,
             "the day the request for a waiver was sent"),
    _federal("frcp_12a_answer_united_states", "Answer by the United States or its agency (FRCP 12(a)(2))", 60,
             "service on the United States attorney"),
    _federal("frcp_15a_amend_once", "Amend a pleading once as a matter of course (FRCP 15(a)(1)(A))", 21,
             "serving the pleading"),
    _federal("frcp_33b_interrogatories", "Answers and objections to interrogatories (FRCP 33(b)(2))", 30,
             "being served with the interrogatories"),
    _federal("frcp_34b_production", "Response to a request for production (FRCP 34(b)(2)(A))", 30,
             "being served with the request"),
    _federal("frcp_36a_admissions", "Answer to requests for admission (FRCP 36(a)(3))", 30,
             "being served with the requests"),
    _federal("frcp_56b_summary_judgment", "Motion for summary judgment, at the latest (FRCP 56(b))", 30,
             "the close of all discovery"),
    _federal("frcp_59b_new_trial", "Motion for a new trial (FRCP 59(b))", 28, "entry of judgment"),
    _federal("frcp_59e_alter_judgment", "Motion to alter or amend a judgment (FRCP 59(e))", 28, "entry of judgment"),
    _federal("frcp_50b_renewed_jmol", "Renewed motion for judgment as a matter of law (FRCP 50(b))", 28,
             "entry of judgment"),
    _federal("frcp_6c_motion_notice", "Serve a written motion and notice of its hearing (FRCP 6(c)(1))", 14,
             "the hearing", direction="before"),
    _federal("frap_4a_notice_of_appeal", "Notice of appeal in a civil case (FRAP 4(a)(1)(A); counted as FRAP 26(a))",
             30, "entry of the judgment or order appealed from"),
)  # fmt: skip


class RuleBook:
    def __init__(self, database: Database) -> None:
        self._database = database

    async def rules(self, _: NoArguments) -> RuleList:
        async with self._database.session() as session:
            rows = (await session.exec(select(RuleRow).order_by(col(RuleRow.name)))).all()
        firm = {row.name: _rule(row) for row in rows}
        merged = {rule.name: rule for rule in BUILTIN_RULES} | firm
        return RuleList(rules=sorted(merged.values(), key=lambda rule: rule.name))

    async def rule(self, name: str) -> Rule:
        for rule in (await self.rules(NoArguments())).rules:
            if rule.name == name:
                return rule
        raise NotFoundError(f"no rule {name!r}: chronometric_rules lists them, chronometric_rule_set adds one")

    async def set_rule(self, request: RuleSetRequest) -> Rule:
        async with self._database.transaction() as session:
            row = await session.get(RuleRow, request.name) or RuleRow(
                name=request.name, title="", count=0, unit="day", method="frcp_6a", direction="after", trigger="",
                updated_at=utc_now(),
            )  # fmt: skip
            for name, value in request.model_dump().items():
                setattr(row, name, value)
            row.updated_at, row.updated_by = utc_now(), caller()
            session.add(row)
        return _rule(row)

    async def remove(self, request: RuleNameRequest) -> RuleRemoved:
        async with self._database.transaction() as session:
            row = await session.get(RuleRow, request.name)
            if row is not None:
                await session.delete(row)
        return RuleRemoved(name=request.name, removed=row is not None)


def _rule(row: RuleRow) -> Rule:
    return Rule(
        name=row.name, title=row.title, count=row.count, unit=row.unit, method=row.method,
        direction=row.direction, trigger=row.trigger, jurisdiction=row.jurisdiction, builtin=False,
    )  # fmt: skip
