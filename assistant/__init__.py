"""Report-drafting assistant for annual self-assessment reports (年度自评报告)."""

__version__ = "0.1.0"
