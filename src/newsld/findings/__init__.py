"""Findings: bad data is a report, not an exception.

Owns the catalogue of finding codes and the :class:`~.report.Report` every stage returns
(:mod:`.report`), the machine formats contributors' CI reads (:mod:`.formats`: JSON, GitHub,
SARIF) and the on-disk spool a large build keeps its findings in (:mod:`.spool`).

May import: nothing of newsld's but the version. Every stage reports through it.
"""
