-- 061: co-building agreements (共驻共建协议, issue 18 part 2): a unit's agreement with the community it
-- reported to, for a term, with its commitments per year — hours of service, money (yuan in 1/100), or a
-- number of services — and what was delivered, year by year.  Hours delivered are never typed: they are
-- the hours of the unit's reported claims served that year (060); money and services delivered are
-- recorded once per commitment and year.  The annual review is a query over these rows.

CREATE TABLE cobuild_agreements (
	id              INTEGER PRIMARY KEY,
	subdistrict_id  INTEGER NOT NULL REFERENCES nodes(id),
	node_id         INTEGER NOT NULL REFERENCES nodes(id),		-- the unit's community
	unit_id         INTEGER NOT NULL REFERENCES cobuild_units(id),
	title           TEXT    NOT NULL,
	starts_on       TEXT    NOT NULL,
	ends_on         TEXT    NOT NULL,
	signed_on       TEXT    NOT NULL,
	document_ref    TEXT,					-- where the signed document is kept (file number)
	created_at      TEXT    NOT NULL,
	CHECK (ends_on > starts_on)
);
CREATE INDEX cobuild_agreements_unit ON cobuild_agreements(unit_id, starts_on);
CREATE INDEX cobuild_agreements_node ON cobuild_agreements(node_id, id);

CREATE TABLE cobuild_commitments (
	id            INTEGER PRIMARY KEY,
	agreement_id  INTEGER NOT NULL REFERENCES cobuild_agreements(id),
	kind          TEXT    NOT NULL CHECK (kind IN ('hours','money','service')),
	description   TEXT    NOT NULL,
	per_year      INTEGER NOT NULL CHECK (per_year > 0),	-- hours in tenths, money in fen, services in times
	created_at    TEXT    NOT NULL
);
CREATE INDEX cobuild_commitments_agreement ON cobuild_commitments(agreement_id, id);

CREATE TABLE cobuild_deliveries (
	id             INTEGER PRIMARY KEY,
	commitment_id  INTEGER NOT NULL REFERENCES cobuild_commitments(id),
	year           INTEGER NOT NULL,
	delivered      INTEGER NOT NULL CHECK (delivered >= 0),	-- money in fen, services in times
	note           TEXT,
	by_user_id     INTEGER REFERENCES users(id),
	created_at     TEXT    NOT NULL,
	UNIQUE (commitment_id, year)
);
