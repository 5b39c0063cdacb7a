"""Reports for heads of office: figures, periods, the IKM and survey, output files."""
