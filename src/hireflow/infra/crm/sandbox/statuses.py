"""The pick-lists: statuses, sources and employment types, in Bullhorn's vocabulary (the other CRMs map them).

Repetition weights the draws: most candidates are active, few are placed or marked do-not-contact.
"""

from __future__ import annotations

CANDIDATE_STATUSES: tuple[str, ...] = (
    *("Active",) * 6, *("New Lead",) * 4, *("Available",) * 3, "Submitted", "Submitted",
    "Placed", "Passive", "Passive", "Do Not Contact",
)  # fmt: skip
ARCHIVED = "Archive"
"""The status of an anonymized candidate, and a valid one generally."""

CANDIDATE_SOURCES: tuple[str, ...] = (
    *("LinkedIn",) * 4, *("Indeed",) * 4, "Referral", "Referral", "Company Website", "ZipRecruiter",
    "Career Fair", "Monster", "CareerBuilder", "Glassdoor", "Walk-in",
)  # fmt: skip

EMPLOYMENT_TYPES: tuple[str, ...] = ("Direct Hire", "Direct Hire", "Contract", "Contract to Hire", "Temp")

JOB_STATUSES: tuple[str, ...] = (
    *("Accepting Candidates",) * 5, "Covered", "Offer Out", "Placed", "Filled", "Lost", "On Hold", "Closed",
)  # fmt: skip
OPEN_JOB_STATUSES = frozenset({"Accepting Candidates", "Covered", "Offer Out", "On Hold"})

SUBMISSION_STATUSES: tuple[str, ...] = (
    *("Submitted",) * 3, "Client Submission", "Interview Scheduled", "Offer Extended", "Placed",
    "Client Rejected", "Candidate Not Interested", "Sales Rep Rejected",
)  # fmt: skip
SUBMISSION_SOURCES: tuple[str, ...] = ("Web Response", "Recruiter", "Recruiter", "Referral", "Job Board")

PLACEMENT_STATUSES: tuple[str, ...] = (
    "Approved",
    "Approved",
    "Active",
    "Completed",
    "Submitted",
    "Terminated",
)

COMPANY_STATUSES: tuple[str, ...] = ("Active Account", "Active Account", "Prospect", "Passive Account", "DNC")

UNKNOWN_VALUES: tuple[str, ...] = (
    "Actve",
    "ACTIVE!!",
    "Placd",
    "status_17",
    "Inactive (old)",
    "TBD",
    "Full-Time??",
)
"""Values outside every pick-list, for the ``unknown-enum`` defect."""

VALID_VALUES: dict[str, frozenset[str]] = {
    "candidate.status": frozenset(CANDIDATE_STATUSES) | {ARCHIVED},
    "job.status": frozenset(JOB_STATUSES),
    "job.employment_type": frozenset(EMPLOYMENT_TYPES),
    "submission.status": frozenset(SUBMISSION_STATUSES),
    "placement.status": frozenset(PLACEMENT_STATUSES),
    "company.status": frozenset(COMPANY_STATUSES),
}
"""Every valid value per field, for validators written against the sandbox."""
