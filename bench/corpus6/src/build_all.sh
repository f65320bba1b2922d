#!/bin/sh
# Rebuild every report, the workbook and retrieval.jsonl.
cd "$(dirname "$0")" && PY=/work/main/.venv/bin/python &&
$PY make_md.py && $PY make_docx.py && $PY make_pdf.py && $PY make_xlsx.py &&
{ [ ! -f make_retrieval.py ] || $PY make_retrieval.py; }
