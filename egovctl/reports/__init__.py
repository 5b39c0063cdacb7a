"""Reports for heads of office: summary, SLA, officers and IKM figures, periods, the survey,
tables and files."""
