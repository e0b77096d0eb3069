"""Reports, charts and the recruiter's dashboard: read-only views on top of the domain apps."""
