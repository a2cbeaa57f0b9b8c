-- 020: key projects (重点项目, 刁镇; DOMAIN.md "Key projects"): the project with its stage history and
-- "四个一" (one lead official, one work team, one work plan), and its three ledgers (三本台账): tasks,
-- problems and responsibilities.  Every row carries its subdistrict (the shard key).  The due dates of
-- tasks and problems are time nodes of the shared table (011, kinds project_task and project_problem).
-- Money is 万元 as fixed point to the yuan (util/check.h MONEY_WAN: 1 万元 = 10000).

CREATE TABLE projects (
	id                  INTEGER PRIMARY KEY,
	subdistrict_id      INTEGER NOT NULL REFERENCES nodes(id),
	node_id             INTEGER NOT NULL REFERENCES nodes(id),	-- the place: a node of the tree
	code                TEXT    NOT NULL UNIQUE,
	name                TEXT    NOT NULL,
	owner_name          TEXT,					-- owner enterprise, free text until the register exists
	category            TEXT,
	industry            TEXT,
	stage               TEXT    NOT NULL CHECK (stage IN ('planning','signed','to_start','building','completed')),
	build_kind          TEXT    CHECK (build_kind IN ('new','continued')),	-- 新建/续建, only while building
	stage_on            TEXT    NOT NULL,				-- date of the current stage
	investment_total    INTEGER NOT NULL DEFAULT 0 CHECK (investment_total >= 0),
	plan_year           INTEGER,
	investment_plan     INTEGER NOT NULL DEFAULT 0 CHECK (investment_plan >= 0),	-- this year's plan
	lead_user_id        INTEGER REFERENCES users(id),		-- 帮包领导
	work_plan           TEXT,					-- the work plan's text (the uploaded file: later)
	created_at          TEXT    NOT NULL,
	updated_at          TEXT    NOT NULL,
	CHECK ((stage = 'building') = (build_kind IS NOT NULL))
);
CREATE INDEX projects_node ON projects(node_id, id);
CREATE INDEX projects_lead ON projects(lead_user_id);

-- Investment completed, reported month by month (万元 fixed point); completed to date is their sum.  A
-- report for a month already reported replaces it (a correction, audited as every write).
CREATE TABLE project_investment_reports (
	project_id  INTEGER NOT NULL REFERENCES projects(id),
	month       TEXT    NOT NULL,				-- YYYY-MM
	amount      INTEGER NOT NULL CHECK (amount >= 0),
	by_user_id  INTEGER REFERENCES users(id),
	at          TEXT    NOT NULL,
	PRIMARY KEY (project_id, month)
);

-- Stage history: append-only, one row per step (the first at creation); a step back carries its reason.
CREATE TABLE project_stages (
	id          INTEGER PRIMARY KEY,
	project_id  INTEGER NOT NULL REFERENCES projects(id),
	stage       TEXT    NOT NULL,
	build_kind  TEXT,
	on_date     TEXT    NOT NULL,
	reason      TEXT,
	by_user_id  INTEGER REFERENCES users(id),
	at          TEXT    NOT NULL
);
CREATE INDEX project_stages_project ON project_stages(project_id, id);

-- The work team (工作专班): users of the project's subdistrict, each with a duty.
CREATE TABLE project_members (
	id          INTEGER PRIMARY KEY,
	project_id  INTEGER NOT NULL REFERENCES projects(id),
	user_id     INTEGER NOT NULL REFERENCES users(id),
	duty        TEXT    NOT NULL,
	created_at  TEXT    NOT NULL,
	UNIQUE (project_id, user_id)
);
CREATE INDEX project_members_user ON project_members(user_id);

-- 任务清单: content, owner, due date (a time node), status, evidence.
CREATE TABLE project_tasks (
	id             INTEGER PRIMARY KEY,
	subdistrict_id INTEGER NOT NULL REFERENCES nodes(id),
	project_id     INTEGER NOT NULL REFERENCES projects(id),
	content        TEXT    NOT NULL,
	owner_user_id  INTEGER NOT NULL REFERENCES users(id),
	assigned_on    TEXT    NOT NULL,
	due_on         TEXT    NOT NULL,
	status         TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open','done')),
	evidence       TEXT,
	done_at        TEXT,
	done_by        INTEGER REFERENCES users(id),
	created_at     TEXT    NOT NULL,
	CHECK (due_on > assigned_on)
);
CREATE INDEX project_tasks_project ON project_tasks(project_id, id);

-- Saturday dispatch meetings (周六现场调度会): date (Saturday by default), place, chair, attendees, minutes;
-- the projects visited, in order; problems raised there link to the meeting.  Scope: its subdistrict.
CREATE TABLE project_meetings (
	id             INTEGER PRIMARY KEY,
	subdistrict_id INTEGER NOT NULL REFERENCES nodes(id),
	held_on        TEXT    NOT NULL,
	place          TEXT,
	chair_user_id  INTEGER REFERENCES users(id),
	attendees      TEXT,
	minutes        TEXT,
	created_at     TEXT    NOT NULL,
	updated_at     TEXT    NOT NULL
);
CREATE INDEX project_meetings_subdistrict ON project_meetings(subdistrict_id, held_on);

CREATE TABLE project_meeting_sites (
	meeting_id  INTEGER NOT NULL REFERENCES project_meetings(id),
	seq         INTEGER NOT NULL,
	project_id  INTEGER NOT NULL REFERENCES projects(id),
	PRIMARY KEY (meeting_id, seq),
	UNIQUE (meeting_id, project_id)
);
CREATE INDEX project_meeting_sites_project ON project_meeting_sites(project_id);

-- 问题清单: raised when, where and by whom, responsible unit and person, deadline, open -> in progress ->
-- closed (销号) with evidence and who closed it.  The time node opens when the problem has an owner and a
-- deadline.
CREATE TABLE project_problems (
	id              INTEGER PRIMARY KEY,
	subdistrict_id  INTEGER NOT NULL REFERENCES nodes(id),
	project_id      INTEGER NOT NULL REFERENCES projects(id),
	kind            TEXT    NOT NULL CHECK (kind IN ('procedures','land','logistics','labour','funding','other')),
	description     TEXT    NOT NULL,
	raised_on       TEXT    NOT NULL,
	raised_where    TEXT,
	raised_by       INTEGER REFERENCES users(id),
	source          TEXT    NOT NULL CHECK (source IN ('meeting','visit','other')),
	meeting_id      INTEGER REFERENCES project_meetings(id),	-- raised at this dispatch meeting
	unit            TEXT,
	owner_user_id   INTEGER REFERENCES users(id),
	due_on          TEXT,
	status          TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open','in_progress','closed')),
	evidence        TEXT,
	closed_at       TEXT,
	closed_by       INTEGER REFERENCES users(id),
	created_at      TEXT    NOT NULL,
	CHECK (due_on IS NULL OR due_on >= raised_on),
	CHECK (status <> 'closed' OR evidence IS NOT NULL),
	CHECK (meeting_id IS NULL OR source = 'meeting')
);
CREATE INDEX project_problems_project ON project_problems(project_id, id);
CREATE INDEX project_problems_meeting ON project_problems(meeting_id) WHERE meeting_id IS NOT NULL;

-- A problem's history: append-only (raise, assign, start, close).
CREATE TABLE project_problem_events (
	id          INTEGER PRIMARY KEY,
	problem_id  INTEGER NOT NULL REFERENCES project_problems(id),
	at          TEXT    NOT NULL,
	action      TEXT    NOT NULL CHECK (action IN ('raise','assign','start','close')),
	by_user_id  INTEGER REFERENCES users(id),
	note        TEXT
);
CREATE INDEX project_problem_events_problem ON project_problem_events(problem_id, id);

-- 责任清单: person x duty x project.
CREATE TABLE project_duties (
	id             INTEGER PRIMARY KEY,
	subdistrict_id INTEGER NOT NULL REFERENCES nodes(id),
	project_id     INTEGER NOT NULL REFERENCES projects(id),
	user_id        INTEGER NOT NULL REFERENCES users(id),
	duty           TEXT    NOT NULL,
	created_at     TEXT    NOT NULL
);
CREATE INDEX project_duties_project ON project_duties(project_id, id);

-- Who uses it (issue 14): project-office staff create and edit everything of their subdistrict
-- (project.write); lead officials and work-team members act on their own projects' ledgers
-- (project.act; which rows is the domain's rule, src/project/access.c); subdistrict leaders and
-- auditors read.  tasks.read opens the inbox (GET /api/v1/tasks), which every kind of time node now
-- shares: held by everyone who held it through workorder.read, and by the project roles.
INSERT INTO access_roles (code, name, name_en, needs_scope) VALUES
 ('project_office',     '项目办工作人员', 'project office staff', 1),
 ('project_lead',       '帮包领导',       'project lead official', 1),
 ('project_member',     '项目专班成员',   'project team member',  1),
 ('subdistrict_leader', '街道领导',       'subdistrict leader',   1);

INSERT INTO role_permissions (role_code, permission)
 SELECT role_code, 'tasks.read' FROM role_permissions WHERE permission = 'workorder.read';

INSERT INTO role_permissions (role_code, permission) VALUES
 ('admin', 'project.read'), ('admin', 'project.write'), ('admin', 'project.act'),
 ('auditor', 'project.read'),
 ('subdistrict_staff', 'project.read'),
 ('project_office', 'project.read'), ('project_office', 'project.write'), ('project_office', 'project.act'),
 ('project_office', 'org.read'), ('project_office', 'tasks.read'),
 ('project_lead', 'project.read'), ('project_lead', 'project.act'), ('project_lead', 'tasks.read'),
 ('project_member', 'project.read'), ('project_member', 'project.act'), ('project_member', 'tasks.read'),
 ('subdistrict_leader', 'project.read'), ('subdistrict_leader', 'org.read'), ('subdistrict_leader', 'tasks.read');
