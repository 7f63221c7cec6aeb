"""The citizen's rights over their personal data (Law 91/2025/QH15, Decree 356/2025):
requests recorded with their time limits (requests, limits), carried out by one staff action
each (actions), erasure that keeps the statistics (erase, scrub, holds), and the retention
period for closed petitions (retention, jobs)."""
