"""The chain-of-custody book: records kept in the application database, shown to their parties.

A record is visible to its two parties (the supplier's and the recipient's organisations, as
the accounts name them) and to the secretariat; to anyone else it does not exist (the same
"no custody record" as for an id never recorded, so existence does not leak). Only the
supplier's organisation (or the secretariat) records a transfer. ``add`` checks every row
against the rules (:mod:`critchem.carbon.custody.rules`) and the records already kept, reports
every problem at once by row and field, and keeps the good rows, or none of them when asked
(``all_or_nothing``).

Record ids are global. So that a taken id reveals no other party's record, the book makes the
ids of the records an organisation adds (``cc-`` and 16 random hex digits): the ids its rows
give are labels within the file (an input may name one), and the report maps each to the id
made. The secretariat (and the database's operator) keeps the ids it gives.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from critchem.carbon.custody import accounts as site_accounts
from critchem.carbon.custody import rules
from critchem.carbon.custody.models import CustodyAccount, CustodyInput, CustodyRecord
from critchem.carbon.custody.schemas import (
    AccountIn,
    AccountInput,
    AccountOut,
    Certificate,
    InputOut,
    RecordIn,
    RecordOut,
)
from critchem.carbon.custody.trace import Trace, node_of, trace
from critchem.carbon.models import ProductFootprint
from critchem.carbon.pact.models import PactFootprint
from critchem.core.errors import CustodyError, NotFoundError, PermissionDeniedError
from critchem.core.serial import serialise

LOCK_KEY = 4_217_000_118
"""PostgreSQL advisory lock that serialises the additions of custody records."""


@dataclass(frozen=True)
class Viewer:
    """Who reads or writes: an organisation's user, or the secretariat (sees every record)."""

    organisation: str
    secretariat: bool = False
    actor: str = ""

    def sees(self, record: RecordOut) -> bool:
        """Whether the viewer is a party to ``record`` or the secretariat."""
        if self.secretariat:
            return True
        if not self.organisation.strip():
            return False
        return rules.same_organisation(
            self.organisation, record.supplier
        ) or rules.same_organisation(self.organisation, record.recipient)


class RowError(BaseModel):
    """A refused row: its number (the first record is row 1), the field and why."""

    row: int
    field: str
    message: str


class AddReport(BaseModel):
    """What ``add`` did: counts that reconcile (received = kept + refused), ids kept, errors."""

    mode: Literal["keep-good-rows", "all-or-nothing"]
    received: int
    kept: int
    refused: int
    ids: list[str]
    labels: dict[str, str] = Field(
        default={},
        description="For an organisation, the ids the book made for the ids its rows gave.",
    )
    errors: list[RowError]


def _out(row: CustodyRecord, inputs: Iterable[CustodyInput]) -> RecordOut:
    return RecordOut(
        id=row.id,
        batch=row.batch,
        supplier=row.supplier,
        recipient=row.recipient,
        molecule=row.molecule,
        cn_code=row.cn_code,
        description=row.description,
        quantity=row.quantity,
        unit=row.unit,
        pcf_id=row.pcf_id,
        custody_model=row.custody_model,
        certified_quantity=row.certified_quantity,
        conversion_factor=row.conversion_factor,
        certificates=[Certificate.model_validate(c) for c in row.certificates],
        inputs=[InputOut(record=i.input_id, quantity=i.quantity) for i in inputs],
        origin_country=row.origin_country,
        produced_on=row.produced_on,
        transferred_on=row.transferred_on,
        created_by=row.created_by,
        supplier_site=row.supplier_site,
        recipient_site=row.recipient_site,
    )


def _from_in(record_id: str, record: RecordIn, actor: str, local: dict[str, str]) -> RecordOut:
    return RecordOut(
        id=record_id,
        inputs=[
            InputOut(record=local.get(i.record, i.record), quantity=i.quantity)
            for i in record.inputs
        ],
        created_by=actor,
        **record.model_dump(exclude={"id", "inputs"}),
    )


class CustodyBook:
    """Chain-of-custody records on the database behind ``session``.

    ``molecule_known`` (optional) tells whether a molecule id is in the registry.
    """

    def __init__(
        self,
        session: Callable[[], Session],
        *,
        molecule_known: Callable[[str], bool] | None = None,
    ) -> None:
        self._session = session
        self._molecule_known = molecule_known

    # reading ------------------------------------------------------------------------

    def _load(self, session: Session, ids: Iterable[str]) -> dict[str, RecordOut]:
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        rows = session.scalars(select(CustodyRecord).where(CustodyRecord.id.in_(wanted))).all()
        links: dict[str, list[CustodyInput]] = defaultdict(list)
        for link in session.scalars(
            select(CustodyInput).where(CustodyInput.record_id.in_(wanted)).order_by(CustodyInput.id)
        ):
            links[link.record_id].append(link)
        return {row.id: _out(row, links[row.id]) for row in rows}

    def _draws(self, session: Session, ids: Iterable[str]) -> dict[str, list[tuple[str, float]]]:
        draws: dict[str, list[tuple[str, float]]] = defaultdict(list)
        wanted = sorted(set(ids))
        if wanted:
            for link in session.scalars(
                select(CustodyInput)
                .where(CustodyInput.input_id.in_(wanted))
                .order_by(CustodyInput.id)
            ):
                draws[link.input_id].append((link.record_id, link.quantity))
        return draws

    def get(self, record_id: str, viewer: Viewer) -> RecordOut:
        """The record ``record_id``; ``NotFoundError`` if there is none or the viewer is no party."""
        with self._session() as session:
            found = self._load(session, [record_id]).get(record_id)
        if found is None or not viewer.sees(found):
            raise NotFoundError(f"no custody record {record_id!r}")
        return found

    def records(self, viewer: Viewer) -> list[RecordOut]:
        """The records the viewer may see, by transfer date then id."""
        with self._session() as session:
            query = select(CustodyRecord.id)
            if not viewer.secretariat:
                org = viewer.organisation.strip()
                if not org:
                    return []
                key = org.casefold()
                query = query.where(
                    (func.lower(CustodyRecord.supplier) == key)
                    | (func.lower(CustodyRecord.recipient) == key)
                )
            records = self._load(session, session.scalars(query).all())
        shown = [r for r in records.values() if viewer.sees(r)]
        return sorted(shown, key=lambda r: (r.transferred_on, r.id))

    def trace(self, record_id: str, viewer: Viewer) -> Trace:
        """The batch of ``record_id`` traced back through its suppliers (see ``trace``)."""
        root = self.get(record_id, viewer)
        with self._session() as session:
            records = {root.id: root}
            frontier = [root.id]
            while frontier:
                wanted = {i.record for rid in frontier for i in records[rid].inputs} - set(records)
                loaded = self._load(session, wanted)
                missing = wanted - set(loaded)
                if missing:
                    raise CustodyError(
                        [f"input record {m!r} is not recorded" for m in sorted(missing)]
                    )
                records.update(loaded)
                frontier = list(loaded)
            draws = self._draws(session, records)
        return trace(root.id, records, draws, viewer.sees)

    def footprints(self, record_id: str, viewer: Viewer) -> dict[str, Any]:
        """The PACT v3 footprints of the traced batches held by this host, and those missing.

        ``data`` lists the footprints (ProductFootprint JSON) in trace order, the root's
        first; ``missing`` the footprint ids the records cite that this host does not hold.
        """
        traced = self.trace(record_id, viewer)
        with self._session() as session:
            held = {
                row.id: row.document
                for row in session.scalars(
                    select(PactFootprint).where(PactFootprint.id.in_(traced.footprints))
                )
            }
        data = [
            ProductFootprint.model_validate(held[f]).to_pact()
            for f in traced.footprints
            if f in held
        ]
        return {"data": data, "missing": [f for f in traced.footprints if f not in held]}

    # site mass-balance accounts ------------------------------------------------------

    def _account_out(self, row: CustodyAccount) -> AccountOut:
        return AccountOut(
            id=row.id,
            organisation=row.organisation,
            site=row.site,
            product=row.product,
            unit=row.unit,
            inputs=[AccountInput.model_validate(i) for i in row.inputs],
            period=row.period,  # type: ignore[arg-type]
            carry_periods=row.carry_periods,
            opens_on=row.opens_on,
            rule_source=row.rule_source,
            created_by=row.created_by,
        )

    def _account_records(self, session: Session, a: AccountOut) -> list[RecordOut]:
        """The stored records leaving or arriving at ``a``'s site.

        Names are compared case-folded in Python (SQLite's ``lower`` folds ASCII only).
        """
        org, site = site_accounts.key(a.organisation), site_accounts.key(a.site)
        sited = session.execute(
            select(
                CustodyRecord.id,
                CustodyRecord.supplier,
                CustodyRecord.supplier_site,
                CustodyRecord.recipient,
                CustodyRecord.recipient_site,
            ).where(
                CustodyRecord.supplier_site.is_not(None) | CustodyRecord.recipient_site.is_not(None)
            )
        ).all()
        ids = [
            rid
            for rid, supplier, supplier_site, recipient, recipient_site in sited
            if any(
                there is not None
                and site_accounts.key(name) == org
                and site_accounts.key(there) == site
                for name, there in ((supplier, supplier_site), (recipient, recipient_site))
            )
        ]
        return list(self._load(session, ids).values())

    def _accounts_of(
        self, session: Session, records: Sequence[RecordOut]
    ) -> list[tuple[AccountOut, list[RecordOut]]]:
        """The accounts of the sites ``records`` leave or arrive at, with their stored records."""
        orgs = {site_accounts.key(r.supplier) for r in records if r.supplier_site} | {
            site_accounts.key(r.recipient) for r in records if r.recipient_site
        }
        if not orgs:
            return []
        rows = session.scalars(
            select(CustodyAccount)
            .where(CustodyAccount.organisation_key.in_(sorted(orgs)))
            .order_by(CustodyAccount.id)
        )
        found = [self._account_out(row) for row in rows]
        touched = [a for a in found if any(site_accounts.touches(a, r) for r in records)]
        return [(a, self._account_records(session, a)) for a in touched]

    @staticmethod
    def _owns(viewer: Viewer, a: AccountOut) -> bool:
        return viewer.secretariat or (
            bool(viewer.organisation.strip())
            and rules.same_organisation(viewer.organisation, a.organisation)
        )

    def declare_account(self, declared: AccountIn, viewer: Viewer) -> AccountOut:
        """Open a site's mass-balance account; refused if the stored records overdraw it.

        Only the organisation itself (or the secretariat) declares its accounts; one account
        per organisation, site and product.
        """
        made = AccountOut(
            id=f"ma-{uuid.uuid4().hex[:16]}",
            created_by=viewer.actor,
            **declared.model_dump(),
        )
        if not self._owns(viewer, made):
            raise PermissionDeniedError(
                "an account is declared by its organisation or the secretariat"
            )
        with self._session() as session:
            serialise(session, LOCK_KEY)
            taken = session.scalar(
                select(CustodyAccount.id).where(
                    CustodyAccount.organisation_key == site_accounts.key(made.organisation),
                    CustodyAccount.site_key == site_accounts.key(made.site),
                    CustodyAccount.product == made.product,
                )
            )
            if taken is not None:
                raise CustodyError(
                    [
                        f"site {made.site!r} of {made.organisation} already keeps an account "
                        f"of {made.product} ({taken})"
                    ]
                )
            shown = site_accounts.statement(made, self._account_records(session, made), None)
            if shown.shortfalls:
                raise CustodyError(
                    [
                        f"the records already overdraw this account: record {s.record!r} "
                        f"claims {s.claimed:g} {made.unit} in {s.period} with "
                        f"{s.available:g} {made.unit} available"
                        for s in shown.shortfalls
                    ]
                )
            session.add(
                CustodyAccount(
                    id=made.id,
                    organisation=made.organisation.strip(),
                    organisation_key=site_accounts.key(made.organisation),
                    site=made.site.strip(),
                    site_key=site_accounts.key(made.site),
                    product=made.product,
                    unit=made.unit,
                    inputs=[i.model_dump() for i in made.inputs],
                    period=made.period,
                    carry_periods=made.carry_periods,
                    opens_on=made.opens_on,
                    rule_source=made.rule_source,
                    created_by=made.created_by,
                )
            )
            session.commit()
        return made

    def accounts(self, viewer: Viewer) -> list[AccountOut]:
        """The accounts the viewer's organisation keeps (all, for the secretariat)."""
        with self._session() as session:
            query = select(CustodyAccount).order_by(
                CustodyAccount.organisation_key, CustodyAccount.id
            )
            if not viewer.secretariat:
                if not viewer.organisation.strip():
                    return []
                query = query.where(
                    CustodyAccount.organisation_key == site_accounts.key(viewer.organisation)
                )
            return [self._account_out(row) for row in session.scalars(query)]

    def account(self, account_id: str, viewer: Viewer) -> AccountOut:
        """One account; ``NotFoundError`` if there is none or it is not the viewer's."""
        with self._session() as session:
            row = session.get(CustodyAccount, account_id)
            found = None if row is None else self._account_out(row)
        if found is None or not self._owns(viewer, found):
            raise NotFoundError(f"no mass-balance account {account_id!r}")
        return found

    def statement(
        self, account_id: str, viewer: Viewer, until: date | None = None
    ) -> site_accounts.Statement:
        """The account's periods: credits in, claims out, expired, carried (equation (4))."""
        a = self.account(account_id, viewer)
        with self._session() as session:
            records = self._account_records(session, a)
        return site_accounts.statement(a, records, until)

    # writing ------------------------------------------------------------------------

    def add_one(self, record: RecordIn, viewer: Viewer) -> RecordOut:
        """Record one transfer; ``CustodyError`` (or ``PermissionDeniedError``) if refused."""
        if not viewer.secretariat and not rules.same_organisation(
            viewer.organisation, record.supplier
        ):
            raise PermissionDeniedError(
                "a transfer is recorded by its supplier's organisation or the secretariat"
            )
        report = self.add([(1, record)], viewer, all_or_nothing=True)
        if report.errors:
            raise CustodyError([f"{e.field}: {e.message}" for e in report.errors])
        return self.get(report.ids[0], viewer)

    def add(
        self,
        rows: Sequence[tuple[int, RecordIn]],
        viewer: Viewer,
        *,
        all_or_nothing: bool = False,
        refused_before: Sequence[RowError] = (),
    ) -> AddReport:
        """Check and keep ``rows`` (row number, record); every problem reported at once.

        ``refused_before`` are rows already refused when read (bad fields); they count in the
        report. The good rows are kept, or none if ``all_or_nothing`` and any row is refused.
        """
        errors: list[RowError] = list(refused_before)
        bad: set[int] = {e.row for e in refused_before}

        def refuse(row: int, field: str, message: str) -> None:
            errors.append(RowError(row=row, field=field, message=message))
            bad.add(row)

        ids: dict[int, str] = {}
        for row, record in rows:
            rid = record.id or f"cc-{uuid.uuid4().hex[:16]}"
            if rid in ids.values():
                refuse(row, "id", f"id {rid!r} is given twice in the file")
            ids[row] = rid
            if not viewer.secretariat and not rules.same_organisation(
                viewer.organisation, record.supplier
            ):
                refuse(row, "supplier", "you may record only transfers your organisation supplies")
            if (
                record.molecule is not None
                and self._molecule_known is not None
                and not self._molecule_known(record.molecule)
            ):
                refuse(row, "molecule", f"{record.molecule!r} is not a molecule of the registry")
        local: dict[str, str] = {}
        if not viewer.secretariat:  # ids given are labels within the file; the book makes ids
            for row, record in rows:
                made = f"cc-{uuid.uuid4().hex[:16]}"
                if record.id is not None:
                    local.setdefault(record.id, made)
                ids[row] = made
        by_id: dict[str, tuple[int, RecordIn]] = {}
        for row, record in rows:
            by_id.setdefault(ids[row], (row, record))
        new = {
            rid: _from_in(rid, record, viewer.actor, local) for rid, (_, record) in by_id.items()
        }

        with self._session() as session:
            # one addition at a time, from the first read to the commit: two additions drawing
            # on one batch at once cannot both pass the check (3) (BEGIN IMMEDIATE on SQLite,
            # an advisory transaction lock on PostgreSQL)
            serialise(session, LOCK_KEY)
            taken = set(session.scalars(select(CustodyRecord.id).where(CustodyRecord.id.in_(new))))
            for rid in sorted(taken):
                refuse(by_id[rid][0], "id", f"a custody record {rid!r} already exists")
            cited = {i.record for r in new.values() for i in r.inputs} - set(new)
            stored = {k: v for k, v in self._load(session, cited).items() if viewer.sees(v)}
            draws = self._draws(session, stored)
            for rid, out in new.items():
                row = by_id[rid][0]
                for k, item in enumerate(out.inputs, start=1):
                    if item.record not in new and item.record not in stored:
                        refuse(row, f"inputs[{k}].record", f"no custody record {item.record!r}")
            cycle = rules.find_cycle(
                {rid: [i.record for i in r.inputs if i.record in new] for rid, r in new.items()}
            )
            if cycle:
                for rid in set(cycle):
                    refuse(
                        by_id[rid][0],
                        "inputs",
                        "the inputs form a cycle: " + " -> ".join(map(repr, cycle)),
                    )
            order = list(new)
            if not cycle:
                shown = {made: label for label, made in local.items()}
                order = self._check_in_order(
                    new, by_id, stored, draws, bad, refuse, lambda r: repr(shown.get(r, r))
                )
            if not cycle:
                shown_name = {made: label for label, made in local.items()}
                good = [new[r] for r in order if by_id[r][0] not in bad]
                site_accounts.check_new(
                    self._accounts_of(session, good),
                    good,
                    lambda rid, message: refuse(by_id[rid][0], "record", message),
                    lambda r: repr(shown_name.get(r, r)),
                )
                for rid in order:  # a record made from a refused one is refused too
                    row = by_id[rid][0]
                    refused_inputs = [
                        i.record
                        for i in new[rid].inputs
                        if i.record in new and by_id[i.record][0] in bad
                    ]
                    if row not in bad and refused_inputs:
                        refuse(
                            row,
                            "inputs",
                            f"input record(s) {', '.join(map(repr, refused_inputs))} refused",
                        )
            keep = [] if (all_or_nothing and bad) else [r for r in order if by_id[r][0] not in bad]
            for rid in keep:
                self._write(session, new[rid])
            session.commit()
        errors.sort(key=lambda e: e.row)
        received = len(rows) + len({e.row for e in refused_before})
        return AddReport(
            mode="all-or-nothing" if all_or_nothing else "keep-good-rows",
            received=received,
            kept=len(keep),
            refused=received - len(keep),
            ids=keep,
            labels={label: made for label, made in local.items() if made in keep},
            errors=errors,
        )

    @staticmethod
    def _check_in_order(
        new: dict[str, RecordOut],
        by_id: dict[str, tuple[int, RecordIn]],
        stored: dict[str, RecordOut],
        draws: dict[str, list[tuple[str, float]]],
        bad: set[int],
        refuse: Callable[[int, str, str], None],
        name: rules.Namer,
    ) -> list[str]:
        """Check the new records, inputs before the records made from them; that order."""
        done: set[str] = set()
        order: list[str] = []

        def visit(rid: str) -> None:
            if rid in done:
                return
            done.add(rid)
            for item in new[rid].inputs:
                if item.record in new:
                    visit(item.record)
            order.append(rid)

        for rid in new:
            visit(rid)
        nodes = {rid: node_of(r) for rid, r in stored.items()} | {
            rid: node_of(r) for rid, r in new.items()
        }
        for rid in order:
            row = by_id[rid][0]
            if row in bad:
                continue
            record = new[rid]
            refused_inputs = [
                i.record for i in record.inputs if i.record in new and by_id[i.record][0] in bad
            ]
            if refused_inputs:
                refuse(
                    row, "inputs", f"input record(s) {', '.join(map(repr, refused_inputs))} refused"
                )
                continue
            problems = rules.check_record(nodes[rid], nodes, name)
            for item in record.inputs:
                taken = [*draws.get(item.record, []), (rid, item.quantity)]
                over = rules.check_draws(nodes[item.record], taken, name)
                if over:
                    problems.append(over)
            for problem in problems:
                refuse(row, "record", problem)
            if not problems:
                for item in record.inputs:
                    draws.setdefault(item.record, []).append((rid, item.quantity))
        return order

    @staticmethod
    def _write(session: Session, record: RecordOut) -> None:
        session.add(
            CustodyRecord(
                id=record.id,
                batch=record.batch,
                supplier=record.supplier.strip(),
                recipient=record.recipient.strip(),
                molecule=record.molecule,
                cn_code=record.cn_code,
                description=record.description,
                quantity=record.quantity,
                unit=record.unit,
                pcf_id=record.pcf_id,
                custody_model=record.custody_model,
                certified_quantity=record.certified_quantity,
                conversion_factor=record.conversion_factor,
                certificates=[c.model_dump(mode="json") for c in record.certificates],
                origin_country=record.origin_country,
                produced_on=record.produced_on,
                transferred_on=record.transferred_on,
                created_by=record.created_by,
                supplier_site=record.supplier_site.strip() if record.supplier_site else None,
                recipient_site=record.recipient_site.strip() if record.recipient_site else None,
            )
        )
        session.flush()
        for item in record.inputs:
            session.add(
                CustodyInput(record_id=record.id, input_id=item.record, quantity=item.quantity)
            )
