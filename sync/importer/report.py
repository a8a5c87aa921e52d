"""What an import did, per tab, and every row it refused with the reason."""
from dataclasses import dataclass, field

from sync.layout import (
    CASHBACK_HISTORY, CASHBACK_PROMOTIONS, DEPOSITS, JOIN_REQUESTS, PROMOTION_ELIGIBILITY, PROMOTIONS, SEAT_REQUESTS,
    SPIN_HISTORY, SPIN_USERS, USER_CREDITS, USERS, WITHDRAWALS,
)

IMPORT_ORDER = (USERS, SPIN_USERS, DEPOSITS, WITHDRAWALS, SPIN_HISTORY, SEAT_REQUESTS, USER_CREDITS, PROMOTIONS,
                CASHBACK_PROMOTIONS, PROMOTION_ELIGIBILITY, CASHBACK_HISTORY, JOIN_REQUESTS)


@dataclass
class SheetTally:
    imported: int = 0
    present: int = 0  # imported by an earlier run, or already a backend row
    blank: int = 0
    closed: int = 0  # credits settled or cleared in the legacy sheet: nothing owed, nothing to take in
    refused: list[tuple[int, str]] = field(default_factory=list)  # (sheet row number, reason)
    missing: str = ""  # why nothing was read from this tab

    def refuse(self, row: int, reason: object) -> None:
        self.refused.append((row, str(reason)))


@dataclass
class ImportReport:
    dry_run: bool
    sheets: dict[str, SheetTally] = field(default_factory=lambda: {title: SheetTally() for title in IMPORT_ORDER})
    spin_ids_written: int = 0
    sheet_error: str = ""

    @property
    def refused(self) -> int:
        return sum(len(tally.refused) for tally in self.sheets.values())

    def lines(self) -> list[str]:
        lines = ["Dry run: nothing was written." if self.dry_run else "Import of the legacy sheets:"]
        for title, tally in self.sheets.items():
            if tally.missing:
                lines.append(f"  {title}: not imported: {tally.missing}")
                continue
            closed = f", {tally.closed} settled or cleared (nothing owed) left in the sheet" if tally.closed else ""
            lines.append(f"  {title}: {tally.imported} imported, {tally.present} already present, "
                         f"{len(tally.refused)} refused, {tally.blank} blank rows skipped{closed}")
        if self.spin_ids_written:
            lines.append(f"  Spin History: Spin ID written on {self.spin_ids_written} rows")
        if self.refused:
            lines.append("Refused rows:")
            for title, tally in self.sheets.items():
                lines += [f"  {title} row {row}: {reason}" for row, reason in sorted(tally.refused)]
        if self.sheet_error:
            lines.append(f"Could not write Spin IDs to the sheet ({self.sheet_error}); run the import again "
                         "to finish: the ledger rows are in and will not be imported twice.")
        return lines
