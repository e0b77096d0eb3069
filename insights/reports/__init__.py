"""The insights pages' content: the aggregates of `queries` turned into named tables, charts
and key figures. Each dataset is fetched once, on first use (cached properties), so a page
costs a fixed number of queries and a CSV export runs only the queries of its table."""

from insights.reports.client import ClientReport
from insights.reports.recruiter import RecruiterReport

__all__ = ["ClientReport", "RecruiterReport"]
