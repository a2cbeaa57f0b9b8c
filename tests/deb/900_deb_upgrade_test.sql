-- A schema change for the package's upgrade test only (tests/deb/run.sh builds the newer package with it):
-- never part of a real build.
CREATE TABLE deb_upgrade_test (id INTEGER PRIMARY KEY, note TEXT NOT NULL);
