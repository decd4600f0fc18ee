PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
INSERT INTO alembic_version VALUES('0007');
CREATE TABLE alert (
	id INTEGER NOT NULL, 
	fingerprint VARCHAR(64) NOT NULL, 
	molecule_id VARCHAR(64), 
	product VARCHAR(16), 
	reporter VARCHAR(16) NOT NULL, 
	partner VARCHAR(16) NOT NULL, 
	flow VARCHAR(8), 
	severity VARCHAR(8) NOT NULL, 
	families JSON NOT NULL, 
	state VARCHAR(16) NOT NULL, 
	title TEXT NOT NULL, 
	first_seen_period DATE NOT NULL, 
	last_seen_period DATE NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	acknowledged_by VARCHAR(200), 
	acknowledged_at DATETIME, 
	closed_by VARCHAR(200), 
	closed_at DATETIME, 
	close_reason TEXT, 
	provenance JSON NOT NULL, 
	evidence JSON NOT NULL, 
	CONSTRAINT pk_alert PRIMARY KEY (id), 
	CONSTRAINT uq_alert_fingerprint UNIQUE (fingerprint)
);
INSERT INTO alert VALUES(1,'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff','ethylene','29012100','EU27_2020','US','1','amber','["surge"]','new','Example alert','2024-01-01','2024-03-01','2024-04-01 00:00:00.000000','2024-04-01 00:00:00.000000',NULL,NULL,NULL,NULL,NULL,'{"source": "synthetic"}','[]');
CREATE TABLE alert_event (
	id INTEGER NOT NULL, 
	alert_id INTEGER NOT NULL, 
	event_key VARCHAR(64) NOT NULL, 
	detector VARCHAR(64) NOT NULL, 
	detector_version VARCHAR(32) NOT NULL, 
	family VARCHAR(16) NOT NULL, 
	period DATE NOT NULL, 
	statistic FLOAT NOT NULL, 
	threshold FLOAT NOT NULL, 
	severity VARCHAR(8) NOT NULL, 
	message TEXT NOT NULL, 
	"key" JSON NOT NULL, 
	evidence JSON NOT NULL, 
	provenance JSON NOT NULL, 
	recorded_at DATETIME NOT NULL, 
	CONSTRAINT pk_alert_event PRIMARY KEY (id), 
	CONSTRAINT fk_alert_event_alert_id_alert FOREIGN KEY(alert_id) REFERENCES alert (id) ON DELETE CASCADE, 
	CONSTRAINT uq_alert_event_alert_id_event_key UNIQUE (alert_id, event_key)
);
CREATE TABLE alert_transition (
	id INTEGER NOT NULL, 
	alert_id INTEGER NOT NULL, 
	from_state VARCHAR(16), 
	to_state VARCHAR(16) NOT NULL, 
	"by" VARCHAR(200) NOT NULL, 
	at DATETIME NOT NULL, 
	note TEXT, 
	CONSTRAINT pk_alert_transition PRIMARY KEY (id), 
	CONSTRAINT fk_alert_transition_alert_id_alert FOREIGN KEY(alert_id) REFERENCES alert (id) ON DELETE CASCADE
);
CREATE TABLE monitor_run (
	id VARCHAR(36) NOT NULL, 
	started_at DATETIME NOT NULL, 
	finished_at DATETIME, 
	status VARCHAR(16) NOT NULL, 
	watermark JSON NOT NULL, 
	alerts_created INTEGER NOT NULL, 
	alerts_updated INTEGER NOT NULL, 
	provenance JSON NOT NULL, 
	CONSTRAINT pk_monitor_run PRIMARY KEY (id)
);
CREATE TABLE subscription (
	id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	channel VARCHAR(16) NOT NULL, 
	target TEXT NOT NULL, 
	secret VARCHAR(200), 
	molecule_id VARCHAR(64), 
	product_prefix VARCHAR(16), 
	min_severity VARCHAR(8) NOT NULL, 
	active BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_subscription PRIMARY KEY (id)
);
CREATE TABLE delivery (
	id INTEGER NOT NULL, 
	subscription_id INTEGER NOT NULL, 
	alert_id INTEGER NOT NULL, 
	attempts INTEGER NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	last_error TEXT, 
	http_status INTEGER, 
	log JSON NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	delivered_at DATETIME, 
	CONSTRAINT pk_delivery PRIMARY KEY (id), 
	CONSTRAINT fk_delivery_subscription_id_subscription FOREIGN KEY(subscription_id) REFERENCES subscription (id) ON DELETE CASCADE, 
	CONSTRAINT fk_delivery_alert_id_alert FOREIGN KEY(alert_id) REFERENCES alert (id) ON DELETE CASCADE, 
	CONSTRAINT uq_delivery_subscription_id_alert_id UNIQUE (subscription_id, alert_id)
);
CREATE TABLE user_account (
	id INTEGER NOT NULL, 
	username VARCHAR(100) NOT NULL, 
	full_name VARCHAR(200) NOT NULL, 
	email VARCHAR(320), 
	organisation VARCHAR(200) NOT NULL, 
	role VARCHAR(16) NOT NULL, 
	password_hash VARCHAR(255) NOT NULL, 
	active BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_user_account PRIMARY KEY (id), 
	CONSTRAINT uq_user_account_username UNIQUE (username)
);
INSERT INTO user_account VALUES(1,'example.analyst','Example Analyst','analyst@example.org','Example Chemicals A','analyst','not-a-real-hash',1,'2024-04-01 00:00:00.000000');
CREATE TABLE api_key (
	id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	prefix VARCHAR(16) NOT NULL, 
	key_sha256 VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	last_used_at DATETIME, 
	revoked_at DATETIME, 
	CONSTRAINT pk_api_key PRIMARY KEY (id), 
	CONSTRAINT fk_api_key_user_id_user_account FOREIGN KEY(user_id) REFERENCES user_account (id) ON DELETE CASCADE, 
	CONSTRAINT uq_api_key_prefix UNIQUE (prefix)
);
CREATE TABLE audit_entry (
	id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	actor VARCHAR(200) NOT NULL, 
	action VARCHAR(64) NOT NULL, 
	resource VARCHAR(200) NOT NULL, 
	detail JSON NOT NULL, 
	ip VARCHAR(64), 
	CONSTRAINT pk_audit_entry PRIMARY KEY (id)
);
CREATE TABLE project_version (
	seq INTEGER NOT NULL, 
	project_id VARCHAR(64) NOT NULL, 
	version INTEGER NOT NULL, 
	action VARCHAR(8) NOT NULL, 
	recorded_at DATETIME NOT NULL, 
	recorded_by VARCHAR(200) NOT NULL, 
	title TEXT NOT NULL, 
	country VARCHAR(2) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	capex_meur FLOAT NOT NULL, 
	funding_gap_meur FLOAT NOT NULL, 
	ghg_avoided_10y_tco2e FLOAT NOT NULL, 
	payload TEXT NOT NULL, 
	CONSTRAINT pk_project_version PRIMARY KEY (seq), 
	CONSTRAINT uq_project_version_project_id_version UNIQUE (project_id, version), 
	CONSTRAINT ck_project_version_version_positive CHECK (version >= 1), 
	CONSTRAINT ck_project_version_action_known CHECK (action IN ('add', 'update')), 
	CONSTRAINT ck_project_version_capex_range CHECK (capex_meur > 0 AND capex_meur <= 100000.0), 
	CONSTRAINT ck_project_version_gap_range CHECK (funding_gap_meur >= 0 AND funding_gap_meur <= capex_meur), 
	CONSTRAINT ck_project_version_ghg_range CHECK (ghg_avoided_10y_tco2e >= 0 AND ghg_avoided_10y_tco2e <= 10000000000.0)
);
CREATE TABLE pipeline_release (
	id INTEGER NOT NULL, 
	released_at DATETIME NOT NULL, 
	released_by VARCHAR(200) NOT NULL, 
	CONSTRAINT pk_pipeline_release PRIMARY KEY (id)
);
CREATE TABLE alliance_body (
	id INTEGER NOT NULL, 
	slug VARCHAR(64) NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	remit TEXT NOT NULL, 
	membership VARCHAR(16) NOT NULL, 
	rules JSON NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_alliance_body PRIMARY KEY (id), 
	CONSTRAINT uq_alliance_body_slug UNIQUE (slug)
);
CREATE TABLE alliance_organisation (
	id INTEGER NOT NULL, 
	name VARCHAR(300) NOT NULL, 
	org_type VARCHAR(32) NOT NULL, 
	country VARCHAR(2) NOT NULL, 
	size VARCHAR(16), 
	sectors JSON NOT NULL, 
	molecules JSON NOT NULL, 
	value_chains JSON NOT NULL, 
	transparency_id VARCHAR(32), 
	contact_name VARCHAR(200) NOT NULL, 
	contact_email VARCHAR(320) NOT NULL, 
	show_contact BOOLEAN NOT NULL, 
	voter_username VARCHAR(100), 
	status VARCHAR(16) NOT NULL, 
	reason TEXT, 
	applied_at DATETIME NOT NULL, 
	decided_at DATETIME, 
	decided_by VARCHAR(200), 
	CONSTRAINT pk_alliance_organisation PRIMARY KEY (id), 
	CONSTRAINT uq_alliance_organisation_name UNIQUE (name)
);
CREATE TABLE alliance_body_member (
	id INTEGER NOT NULL, 
	body_id INTEGER NOT NULL, 
	organisation_id INTEGER NOT NULL, 
	role VARCHAR(16) NOT NULL, 
	joined_at DATETIME NOT NULL, 
	CONSTRAINT pk_alliance_body_member PRIMARY KEY (id), 
	CONSTRAINT fk_alliance_body_member_body_id_alliance_body FOREIGN KEY(body_id) REFERENCES alliance_body (id), 
	CONSTRAINT fk_alliance_body_member_organisation_id_alliance_organisation FOREIGN KEY(organisation_id) REFERENCES alliance_organisation (id), 
	CONSTRAINT uq_alliance_body_member_body_id_organisation_id UNIQUE (body_id, organisation_id)
);
CREATE TABLE alliance_deliverable (
	id INTEGER NOT NULL, 
	slug VARCHAR(64) NOT NULL, 
	title VARCHAR(500) NOT NULL, 
	owner_body_id INTEGER, 
	due DATE, 
	status VARCHAR(16) NOT NULL, 
	outputs JSON NOT NULL, 
	CONSTRAINT pk_alliance_deliverable PRIMARY KEY (id), 
	CONSTRAINT fk_alliance_deliverable_owner_body_id_alliance_body FOREIGN KEY(owner_body_id) REFERENCES alliance_body (id), 
	CONSTRAINT uq_alliance_deliverable_slug UNIQUE (slug)
);
CREATE TABLE alliance_meeting (
	id INTEGER NOT NULL, 
	body_id INTEGER NOT NULL, 
	date DATE NOT NULL, 
	title VARCHAR(300) NOT NULL, 
	location VARCHAR(200) NOT NULL, 
	minutes TEXT, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_alliance_meeting PRIMARY KEY (id), 
	CONSTRAINT fk_alliance_meeting_body_id_alliance_body FOREIGN KEY(body_id) REFERENCES alliance_body (id)
);
CREATE TABLE alliance_seat (
	id INTEGER NOT NULL, 
	body_id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	category VARCHAR(32) NOT NULL, 
	organisation_id INTEGER, 
	holder VARCHAR(200), 
	term_start DATE, 
	term_end DATE, 
	CONSTRAINT pk_alliance_seat PRIMARY KEY (id), 
	CONSTRAINT fk_alliance_seat_body_id_alliance_body FOREIGN KEY(body_id) REFERENCES alliance_body (id), 
	CONSTRAINT fk_alliance_seat_organisation_id_alliance_organisation FOREIGN KEY(organisation_id) REFERENCES alliance_organisation (id)
);
CREATE TABLE alliance_signature (
	id INTEGER NOT NULL, 
	organisation_id INTEGER NOT NULL, 
	declaration_version VARCHAR(16) NOT NULL, 
	language VARCHAR(8) NOT NULL, 
	text_sha256 VARCHAR(64) NOT NULL, 
	signatory VARCHAR(200) NOT NULL, 
	signatory_email VARCHAR(320) NOT NULL, 
	signed_at DATETIME NOT NULL, 
	source_address VARCHAR(64), 
	digest VARCHAR(64) NOT NULL, 
	CONSTRAINT pk_alliance_signature PRIMARY KEY (id), 
	CONSTRAINT fk_alliance_signature_organisation_id_alliance_organisation FOREIGN KEY(organisation_id) REFERENCES alliance_organisation (id)
);
CREATE TABLE alliance_document (
	id INTEGER NOT NULL, 
	body_id INTEGER NOT NULL, 
	meeting_id INTEGER, 
	title VARCHAR(300) NOT NULL, 
	url VARCHAR(2000), 
	text TEXT, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_alliance_document PRIMARY KEY (id), 
	CONSTRAINT fk_alliance_document_body_id_alliance_body FOREIGN KEY(body_id) REFERENCES alliance_body (id), 
	CONSTRAINT fk_alliance_document_meeting_id_alliance_meeting FOREIGN KEY(meeting_id) REFERENCES alliance_meeting (id)
);
CREATE TABLE alliance_motion (
	id INTEGER NOT NULL, 
	body_id INTEGER NOT NULL, 
	meeting_id INTEGER, 
	parent_id INTEGER, 
	kind VARCHAR(16) NOT NULL, 
	title VARCHAR(300) NOT NULL, 
	state VARCHAR(16) NOT NULL, 
	proposer VARCHAR(300) NOT NULL, 
	justification TEXT, 
	citations JSON NOT NULL, 
	yes INTEGER, 
	no INTEGER, 
	abstain INTEGER, 
	members INTEGER, 
	quorum BOOLEAN, 
	adopted BOOLEAN, 
	number VARCHAR(32), 
	created_at DATETIME NOT NULL, 
	closed_at DATETIME, 
	published_at DATETIME, 
	CONSTRAINT pk_alliance_motion PRIMARY KEY (id), 
	CONSTRAINT fk_alliance_motion_body_id_alliance_body FOREIGN KEY(body_id) REFERENCES alliance_body (id), 
	CONSTRAINT fk_alliance_motion_meeting_id_alliance_meeting FOREIGN KEY(meeting_id) REFERENCES alliance_meeting (id), 
	CONSTRAINT fk_alliance_motion_parent_id_alliance_motion FOREIGN KEY(parent_id) REFERENCES alliance_motion (id), 
	CONSTRAINT uq_alliance_motion_number UNIQUE (number)
);
CREATE TABLE alliance_comment (
	id INTEGER NOT NULL, 
	motion_id INTEGER NOT NULL, 
	author VARCHAR(200) NOT NULL, 
	text TEXT NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_alliance_comment PRIMARY KEY (id), 
	CONSTRAINT fk_alliance_comment_motion_id_alliance_motion FOREIGN KEY(motion_id) REFERENCES alliance_motion (id)
);
CREATE TABLE alliance_motion_version (
	id INTEGER NOT NULL, 
	motion_id INTEGER NOT NULL, 
	number INTEGER NOT NULL, 
	text TEXT NOT NULL, 
	author VARCHAR(200) NOT NULL, 
	note VARCHAR(500) NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_alliance_motion_version PRIMARY KEY (id), 
	CONSTRAINT fk_alliance_motion_version_motion_id_alliance_motion FOREIGN KEY(motion_id) REFERENCES alliance_motion (id), 
	CONSTRAINT uq_alliance_motion_version_motion_id_number UNIQUE (motion_id, number)
);
CREATE TABLE alliance_vote (
	id INTEGER NOT NULL, 
	motion_id INTEGER NOT NULL, 
	organisation_id INTEGER NOT NULL, 
	choice VARCHAR(8) NOT NULL, 
	cast_by VARCHAR(200) NOT NULL, 
	cast_at DATETIME NOT NULL, 
	CONSTRAINT pk_alliance_vote PRIMARY KEY (id), 
	CONSTRAINT fk_alliance_vote_motion_id_alliance_motion FOREIGN KEY(motion_id) REFERENCES alliance_motion (id), 
	CONSTRAINT fk_alliance_vote_organisation_id_alliance_organisation FOREIGN KEY(organisation_id) REFERENCES alliance_organisation (id), 
	CONSTRAINT uq_alliance_vote_motion_id_organisation_id UNIQUE (motion_id, organisation_id)
);
CREATE TABLE revoked_token (
	jti VARCHAR(64) NOT NULL, 
	expires_at DATETIME NOT NULL, 
	CONSTRAINT pk_revoked_token PRIMARY KEY (jti)
);
CREATE INDEX ix_alert_last_seen_period ON alert (last_seen_period);
CREATE INDEX ix_alert_molecule_id ON alert (molecule_id);
CREATE INDEX ix_alert_product ON alert (product);
CREATE INDEX ix_alert_severity ON alert (severity);
CREATE INDEX ix_alert_state ON alert (state);
CREATE INDEX ix_alert_event_alert_id ON alert_event (alert_id);
CREATE INDEX ix_alert_transition_alert_id ON alert_transition (alert_id);
CREATE INDEX ix_subscription_active ON subscription (active);
CREATE INDEX ix_delivery_subscription_id ON delivery (subscription_id);
CREATE INDEX ix_delivery_alert_id ON delivery (alert_id);
CREATE INDEX ix_delivery_status ON delivery (status);
CREATE INDEX ix_api_key_user_id ON api_key (user_id);
CREATE INDEX ix_audit_entry_at ON audit_entry (at);
CREATE INDEX ix_audit_entry_action ON audit_entry (action);
CREATE INDEX ix_project_version_project_id ON project_version (project_id);
CREATE INDEX ix_pipeline_release_released_at ON pipeline_release (released_at);
CREATE INDEX ix_alliance_organisation_status ON alliance_organisation (status);
CREATE INDEX ix_alliance_body_member_body_id ON alliance_body_member (body_id);
CREATE INDEX ix_alliance_meeting_body_id ON alliance_meeting (body_id);
CREATE INDEX ix_alliance_seat_body_id ON alliance_seat (body_id);
CREATE INDEX ix_alliance_signature_organisation_id ON alliance_signature (organisation_id);
CREATE INDEX ix_alliance_document_body_id ON alliance_document (body_id);
CREATE INDEX ix_alliance_motion_body_id ON alliance_motion (body_id);
CREATE INDEX ix_alliance_motion_parent_id ON alliance_motion (parent_id);
CREATE INDEX ix_alliance_motion_state ON alliance_motion (state);
CREATE INDEX ix_alliance_comment_motion_id ON alliance_comment (motion_id);
CREATE INDEX ix_alliance_motion_version_motion_id ON alliance_motion_version (motion_id);
CREATE INDEX ix_alliance_vote_motion_id ON alliance_vote (motion_id);
CREATE INDEX ix_revoked_token_expires_at ON revoked_token (expires_at);
COMMIT;
