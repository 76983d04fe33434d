"""What every part of apilint shares: findings and severities, errors, JSON pointers, globs.

May import: nothing of apilint (the standard library only)."""
