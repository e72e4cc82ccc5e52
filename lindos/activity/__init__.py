"""Activity around repositories: following repositories and users, the
personal and public journals, feeds, the admin log and commit statistics."""
