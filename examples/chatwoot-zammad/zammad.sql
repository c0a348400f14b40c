-- Source repository : https://github.com/zammad/zammad
-- Commit            : 5df98684da64aed93cc29e4be029d81566520906 (all files below read at this commit;
--                     files carry "Copyright (C) 2012-2021")
-- Source files      : db/migrate/20120101000001_create_base.rb   (users, groups, roles, roles_users)
--                     db/migrate/20120101000010_create_ticket.rb (ticket_* tables, tickets)
--                     db/seeds.rb (seed order), db/seeds/user_nr_1.rb, db/seeds/roles.rb,
--                     db/seeds/groups.rb, db/seeds/ticket_state_types.rb, db/seeds/ticket_states.rb,
--                     db/seeds/ticket_priorities.rb, db/seeds/ticket_article_types.rb,
--                     db/seeds/ticket_article_senders.rb
-- The hash is the commit of the stored file versions read through the code index
-- (a full snapshot of the repository was too large to fetch).
--
-- Structure reproduced for SyncDesk's worked example; not Zammad's code.
--
-- Both migrations are ActiveRecord::Migration[4.2], so ids are serial (integer) and
-- t.references columns are integer. Mapping: string limit: n -> character varying(n),
-- text (any limit) -> text, timestamp/datetime limit: 3 -> timestamp(3) without time zone,
-- t.timestamps limit: 3, null: false -> created_at/updated_at timestamp(3) NOT NULL (no default),
-- date -> date, decimal precision: 6, scale: 2 -> numeric(6,2).
-- Unique indexes (add_index ... unique: true) and foreign keys (add_foreign_key) declared
-- for these tables are reproduced; FKs to tables outside this file (organizations,
-- signatures, email_addresses) are listed in comments but not created.

CREATE SCHEMA zammad;

-- ---------------------------------------------------------------- create_base.rb
CREATE TABLE zammad.users (
    id                           serial PRIMARY KEY,
    organization_id              integer,          -- FK -> organizations (not reproduced)
    login                        character varying(255) NOT NULL,
    firstname                    character varying(100) DEFAULT '',
    lastname                     character varying(100) DEFAULT '',
    email                        character varying(255) DEFAULT '',
    image                        character varying(100),
    image_source                 character varying(200),
    web                          character varying(100) DEFAULT '',
    password                     character varying(100),
    phone                        character varying(100) DEFAULT '',
    fax                          character varying(100) DEFAULT '',
    mobile                       character varying(100) DEFAULT '',
    department                   character varying(200) DEFAULT '',
    street                       character varying(120) DEFAULT '',
    zip                          character varying(100) DEFAULT '',
    city                         character varying(100) DEFAULT '',
    country                      character varying(100) DEFAULT '',
    address                      character varying(500) DEFAULT '',
    vip                          boolean DEFAULT false,
    verified                     boolean DEFAULT false NOT NULL,
    active                       boolean DEFAULT true NOT NULL,
    note                         character varying(5000) DEFAULT '',
    last_login                   timestamp(3) without time zone,
    source                       character varying(200),
    login_failed                 integer DEFAULT 0 NOT NULL,
    out_of_office                boolean DEFAULT false NOT NULL,
    out_of_office_start_at       date,
    out_of_office_end_at         date,
    out_of_office_replacement_id integer,
    preferences                  character varying(8000),
    updated_by_id                integer NOT NULL,
    created_by_id                integer NOT NULL,
    created_at                   timestamp(3) without time zone NOT NULL,
    updated_at                   timestamp(3) without time zone NOT NULL
);
CREATE UNIQUE INDEX index_users_on_login ON zammad.users USING btree (login);
ALTER TABLE zammad.users
    ADD CONSTRAINT fk_users_created_by_id FOREIGN KEY (created_by_id) REFERENCES zammad.users (id),
    ADD CONSTRAINT fk_users_updated_by_id FOREIGN KEY (updated_by_id) REFERENCES zammad.users (id),
    ADD CONSTRAINT fk_users_out_of_office_replacement_id
        FOREIGN KEY (out_of_office_replacement_id) REFERENCES zammad.users (id);

-- groups: included because tickets.group_id is NOT NULL. Minimal: id plus the NOT NULL
-- columns. Omitted nullable columns: signature_id (FK -> signatures), email_address_id
-- (FK -> email_addresses), assignment_timeout integer, note character varying(250).
CREATE TABLE zammad.groups (
    id                   serial PRIMARY KEY,
    name                 character varying(160) NOT NULL,
    follow_up_possible   character varying(100) DEFAULT 'yes' NOT NULL,
    follow_up_assignment boolean DEFAULT true NOT NULL,
    active               boolean DEFAULT true NOT NULL,
    updated_by_id        integer NOT NULL,
    created_by_id        integer NOT NULL,
    created_at           timestamp(3) without time zone NOT NULL,
    updated_at           timestamp(3) without time zone NOT NULL
);
CREATE UNIQUE INDEX index_groups_on_name ON zammad.groups USING btree (name);
ALTER TABLE zammad.groups
    ADD CONSTRAINT fk_groups_created_by_id FOREIGN KEY (created_by_id) REFERENCES zammad.users (id),
    ADD CONSTRAINT fk_groups_updated_by_id FOREIGN KEY (updated_by_id) REFERENCES zammad.users (id);

CREATE TABLE zammad.roles (
    id                serial PRIMARY KEY,
    name              character varying(100) NOT NULL,
    preferences       text,
    default_at_signup boolean DEFAULT false,
    active            boolean DEFAULT true NOT NULL,
    note              character varying(250),
    updated_by_id     integer NOT NULL,
    created_by_id     integer NOT NULL,
    created_at        timestamp(3) without time zone NOT NULL,
    updated_at        timestamp(3) without time zone NOT NULL
);
CREATE UNIQUE INDEX index_roles_on_name ON zammad.roles USING btree (name);
ALTER TABLE zammad.roles
    ADD CONSTRAINT fk_roles_created_by_id FOREIGN KEY (created_by_id) REFERENCES zammad.users (id),
    ADD CONSTRAINT fk_roles_updated_by_id FOREIGN KEY (updated_by_id) REFERENCES zammad.users (id);

-- roles_users: create_table ..., id: false -> no primary key, no unique index.
CREATE TABLE zammad.roles_users (
    user_id integer,
    role_id integer
);
ALTER TABLE zammad.roles_users
    ADD CONSTRAINT fk_roles_users_user_id FOREIGN KEY (user_id) REFERENCES zammad.users (id),
    ADD CONSTRAINT fk_roles_users_role_id FOREIGN KEY (role_id) REFERENCES zammad.roles (id);

-- ---------------------------------------------------------------- create_ticket.rb
CREATE TABLE zammad.ticket_state_types (
    id            serial PRIMARY KEY,
    name          character varying(250) NOT NULL,
    note          character varying(250),
    updated_by_id integer NOT NULL,
    created_by_id integer NOT NULL,
    created_at    timestamp(3) without time zone NOT NULL,
    updated_at    timestamp(3) without time zone NOT NULL
);
CREATE UNIQUE INDEX index_ticket_state_types_on_name ON zammad.ticket_state_types USING btree (name);
ALTER TABLE zammad.ticket_state_types
    ADD CONSTRAINT fk_ticket_state_types_created_by_id FOREIGN KEY (created_by_id) REFERENCES zammad.users (id),
    ADD CONSTRAINT fk_ticket_state_types_updated_by_id FOREIGN KEY (updated_by_id) REFERENCES zammad.users (id);

CREATE TABLE zammad.ticket_states (
    id                serial PRIMARY KEY,
    state_type_id     integer NOT NULL,
    name              character varying(250) NOT NULL,
    next_state_id     integer,
    ignore_escalation boolean DEFAULT false NOT NULL,
    default_create    boolean DEFAULT false NOT NULL,
    default_follow_up boolean DEFAULT false NOT NULL,
    note              character varying(250),
    active            boolean DEFAULT true NOT NULL,
    updated_by_id     integer NOT NULL,
    created_by_id     integer NOT NULL,
    created_at        timestamp(3) without time zone NOT NULL,
    updated_at        timestamp(3) without time zone NOT NULL
);
CREATE UNIQUE INDEX index_ticket_states_on_name ON zammad.ticket_states USING btree (name);
ALTER TABLE zammad.ticket_states
    ADD CONSTRAINT fk_ticket_states_state_type_id FOREIGN KEY (state_type_id) REFERENCES zammad.ticket_state_types (id),
    ADD CONSTRAINT fk_ticket_states_created_by_id FOREIGN KEY (created_by_id) REFERENCES zammad.users (id),
    ADD CONSTRAINT fk_ticket_states_updated_by_id FOREIGN KEY (updated_by_id) REFERENCES zammad.users (id);

CREATE TABLE zammad.ticket_priorities (
    id             serial PRIMARY KEY,
    name           character varying(250) NOT NULL,
    default_create boolean DEFAULT false NOT NULL,
    ui_icon        character varying(100),
    ui_color       character varying(100),
    note           character varying(250),
    active         boolean DEFAULT true NOT NULL,
    updated_by_id  integer NOT NULL,
    created_by_id  integer NOT NULL,
    created_at     timestamp(3) without time zone NOT NULL,
    updated_at     timestamp(3) without time zone NOT NULL
);
CREATE UNIQUE INDEX index_ticket_priorities_on_name ON zammad.ticket_priorities USING btree (name);
ALTER TABLE zammad.ticket_priorities
    ADD CONSTRAINT fk_ticket_priorities_created_by_id FOREIGN KEY (created_by_id) REFERENCES zammad.users (id),
    ADD CONSTRAINT fk_ticket_priorities_updated_by_id FOREIGN KEY (updated_by_id) REFERENCES zammad.users (id);

CREATE TABLE zammad.tickets (
    id                           serial PRIMARY KEY,
    group_id                     integer NOT NULL,
    priority_id                  integer NOT NULL,
    state_id                     integer NOT NULL,
    organization_id              integer,          -- FK -> organizations (not reproduced)
    number                       character varying(60) NOT NULL,
    title                        character varying(250) NOT NULL,
    owner_id                     integer NOT NULL,
    customer_id                  integer NOT NULL,
    note                         character varying(250),
    first_response_at            timestamp(3) without time zone,
    first_response_escalation_at timestamp(3) without time zone,
    first_response_in_min        integer,
    first_response_diff_in_min   integer,
    close_at                     timestamp(3) without time zone,
    close_escalation_at          timestamp(3) without time zone,
    close_in_min                 integer,
    close_diff_in_min            integer,
    update_escalation_at         timestamp(3) without time zone,
    update_in_min                integer,
    update_diff_in_min           integer,
    last_contact_at              timestamp(3) without time zone,
    last_contact_agent_at        timestamp(3) without time zone,
    last_contact_customer_at     timestamp(3) without time zone,
    last_owner_update_at         timestamp(3) without time zone,
    create_article_type_id       integer,
    create_article_sender_id     integer,
    article_count                integer,
    escalation_at                timestamp(3) without time zone,
    pending_time                 timestamp(3) without time zone,
    type                         character varying(100),
    time_unit                    numeric(6,2),
    preferences                  text,
    updated_by_id                integer NOT NULL,
    created_by_id                integer NOT NULL,
    created_at                   timestamp(3) without time zone NOT NULL,
    updated_at                   timestamp(3) without time zone NOT NULL
);
CREATE UNIQUE INDEX index_tickets_on_number ON zammad.tickets USING btree (number);
ALTER TABLE zammad.tickets
    ADD CONSTRAINT fk_tickets_group_id      FOREIGN KEY (group_id)      REFERENCES zammad.groups (id),
    ADD CONSTRAINT fk_tickets_owner_id      FOREIGN KEY (owner_id)      REFERENCES zammad.users (id),
    ADD CONSTRAINT fk_tickets_customer_id   FOREIGN KEY (customer_id)   REFERENCES zammad.users (id),
    ADD CONSTRAINT fk_tickets_priority_id   FOREIGN KEY (priority_id)   REFERENCES zammad.ticket_priorities (id),
    ADD CONSTRAINT fk_tickets_state_id      FOREIGN KEY (state_id)      REFERENCES zammad.ticket_states (id),
    ADD CONSTRAINT fk_tickets_created_by_id FOREIGN KEY (created_by_id) REFERENCES zammad.users (id),
    ADD CONSTRAINT fk_tickets_updated_by_id FOREIGN KEY (updated_by_id) REFERENCES zammad.users (id);

CREATE TABLE zammad.ticket_article_types (
    id            serial PRIMARY KEY,
    name          character varying(250) NOT NULL,
    note          character varying(250),
    communication boolean NOT NULL,               -- no default at this commit
    active        boolean DEFAULT true NOT NULL,
    updated_by_id integer NOT NULL,
    created_by_id integer NOT NULL,
    created_at    timestamp(3) without time zone NOT NULL,
    updated_at    timestamp(3) without time zone NOT NULL
);
CREATE UNIQUE INDEX index_ticket_article_types_on_name ON zammad.ticket_article_types USING btree (name);
ALTER TABLE zammad.ticket_article_types
    ADD CONSTRAINT fk_ticket_article_types_created_by_id FOREIGN KEY (created_by_id) REFERENCES zammad.users (id),
    ADD CONSTRAINT fk_ticket_article_types_updated_by_id FOREIGN KEY (updated_by_id) REFERENCES zammad.users (id);

CREATE TABLE zammad.ticket_article_senders (
    id            serial PRIMARY KEY,
    name          character varying(250) NOT NULL,
    note          character varying(250),
    updated_by_id integer NOT NULL,
    created_by_id integer NOT NULL,
    created_at    timestamp(3) without time zone NOT NULL,
    updated_at    timestamp(3) without time zone NOT NULL
);
CREATE UNIQUE INDEX index_ticket_article_senders_on_name ON zammad.ticket_article_senders USING btree (name);
ALTER TABLE zammad.ticket_article_senders
    ADD CONSTRAINT fk_ticket_article_senders_created_by_id FOREIGN KEY (created_by_id) REFERENCES zammad.users (id),
    ADD CONSTRAINT fk_ticket_article_senders_updated_by_id FOREIGN KEY (updated_by_id) REFERENCES zammad.users (id);

CREATE TABLE zammad.ticket_articles (
    id             serial PRIMARY KEY,
    ticket_id      integer NOT NULL,
    type_id        integer NOT NULL,
    sender_id      integer NOT NULL,
    "from"         character varying(3000),
    "to"           character varying(3000),
    cc             character varying(3000),
    subject        character varying(3000),
    reply_to       character varying(300),
    message_id     character varying(3000),
    message_id_md5 character varying(32),
    in_reply_to    character varying(3000),
    content_type   character varying(20) DEFAULT 'text/plain' NOT NULL,
    "references"   character varying(3200),
    body           text NOT NULL,
    internal       boolean DEFAULT false NOT NULL,
    preferences    text,
    updated_by_id  integer NOT NULL,
    created_by_id  integer NOT NULL,
    origin_by_id   integer,
    created_at     timestamp(3) without time zone NOT NULL,
    updated_at     timestamp(3) without time zone NOT NULL
);
-- ticket_articles has no unique index in the migration.
ALTER TABLE zammad.ticket_articles
    ADD CONSTRAINT fk_ticket_articles_ticket_id     FOREIGN KEY (ticket_id)     REFERENCES zammad.tickets (id),
    ADD CONSTRAINT fk_ticket_articles_type_id       FOREIGN KEY (type_id)       REFERENCES zammad.ticket_article_types (id),
    ADD CONSTRAINT fk_ticket_articles_sender_id     FOREIGN KEY (sender_id)     REFERENCES zammad.ticket_article_senders (id),
    ADD CONSTRAINT fk_ticket_articles_created_by_id FOREIGN KEY (created_by_id) REFERENCES zammad.users (id),
    ADD CONSTRAINT fk_ticket_articles_updated_by_id FOREIGN KEY (updated_by_id) REFERENCES zammad.users (id),
    ADD CONSTRAINT fk_ticket_articles_origin_by_id  FOREIGN KEY (origin_by_id)  REFERENCES zammad.users (id);

-- ---------------------------------------------------------------- seed rows
-- In the order of db/seeds.rb (settings, user_nr_1, signatures, roles, permissions, groups,
-- links, ticket_state_types, ticket_states, ticket_priorities, ticket_article_types,
-- ticket_article_senders, ...), with the explicit ids the seed files give.
-- created_by_id/updated_by_id = 1 and now() for the timestamps.

-- db/seeds/user_nr_1.rb: system user
INSERT INTO zammad.users (id, login, firstname, lastname, email, active, updated_by_id, created_by_id, created_at, updated_at)
VALUES (1, '-', '-', '', '', false, 1, 1, now(), now());

-- db/seeds/roles.rb (Zammad also stores preferences = {} serialized; left NULL here)
INSERT INTO zammad.roles (id, name, note, default_at_signup, updated_by_id, created_by_id, created_at, updated_at) VALUES
    (1, 'Admin',    'To configure your system.',               false, 1, 1, now(), now()),
    (2, 'Agent',    'To work on Tickets.',                     false, 1, 1, now(), now()),
    (3, 'Customer', 'People who create Tickets ask for help.', true,  1, 1, now(), now());

-- db/seeds/groups.rb: group 1 'Users' (seed also sets signature_id and
-- note 'Standard Group/Pool for Tickets.'; those columns are omitted in this minimal table)
INSERT INTO zammad.groups (id, name, updated_by_id, created_by_id, created_at, updated_at)
VALUES (1, 'Users', 1, 1, now(), now());

-- db/seeds/ticket_state_types.rb
INSERT INTO zammad.ticket_state_types (id, name, updated_by_id, created_by_id, created_at, updated_at) VALUES
    (1, 'new',              1, 1, now(), now()),
    (2, 'open',             1, 1, now(), now()),
    (3, 'pending reminder', 1, 1, now(), now()),
    (4, 'pending action',   1, 1, now(), now()),
    (5, 'closed',           1, 1, now(), now()),
    (6, 'merged',           1, 1, now(), now()),
    (7, 'removed',          1, 1, now(), now());

-- db/seeds/ticket_states.rb ('pending close' has state type 'pending action' and
-- next_state_id = Ticket::State.by_category(:closed).first.id, i.e. 4 'closed')
INSERT INTO zammad.ticket_states (id, name, state_type_id, next_state_id, ignore_escalation, default_create, default_follow_up, active, updated_by_id, created_by_id, created_at, updated_at) VALUES
    (1, 'new',              1, NULL, false, true,  false, true,  1, 1, now(), now()),
    (2, 'open',             2, NULL, false, false, true,  true,  1, 1, now(), now()),
    (3, 'pending reminder', 3, NULL, true,  false, false, true,  1, 1, now(), now()),
    (4, 'closed',           5, NULL, true,  false, false, true,  1, 1, now(), now()),
    (5, 'merged',           6, NULL, true,  false, false, true,  1, 1, now(), now()),
    (6, 'removed',          7, NULL, true,  false, false, false, 1, 1, now(), now()),
    (7, 'pending close',    4, 4,    true,  false, false, true,  1, 1, now(), now());

-- db/seeds/ticket_priorities.rb
INSERT INTO zammad.ticket_priorities (id, name, default_create, ui_icon, ui_color, updated_by_id, created_by_id, created_at, updated_at) VALUES
    (1, '1 low',    false, 'low-priority', 'low-priority',  1, 1, now(), now()),
    (2, '2 normal', true,  NULL,           NULL,            1, 1, now(), now()),
    (3, '3 high',   false, 'important',    'high-priority', 1, 1, now(), now());

-- db/seeds/ticket_article_types.rb
INSERT INTO zammad.ticket_article_types (id, name, communication, updated_by_id, created_by_id, created_at, updated_at) VALUES
    (1,  'email',                     true,  1, 1, now(), now()),
    (2,  'sms',                       true,  1, 1, now(), now()),
    (3,  'chat',                      true,  1, 1, now(), now()),
    (4,  'fax',                       true,  1, 1, now(), now()),
    (5,  'phone',                     true,  1, 1, now(), now()),
    (6,  'twitter status',            true,  1, 1, now(), now()),
    (7,  'twitter direct-message',    true,  1, 1, now(), now()),
    (8,  'facebook feed post',        true,  1, 1, now(), now()),
    (9,  'facebook feed comment',     true,  1, 1, now(), now()),
    (10, 'note',                      false, 1, 1, now(), now()),
    (11, 'web',                       true,  1, 1, now(), now()),
    (12, 'telegram personal-message', true,  1, 1, now(), now());

-- db/seeds/ticket_article_senders.rb
INSERT INTO zammad.ticket_article_senders (id, name, updated_by_id, created_by_id, created_at, updated_at) VALUES
    (1, 'Agent',    1, 1, now(), now()),
    (2, 'Customer', 1, 1, now(), now()),
    (3, 'System',   1, 1, now(), now());

-- Explicit ids bypass the serial sequences; move them past the seeded ids
-- (Zammad does the same after seeding via DbHelper.import_post).
SELECT setval(pg_get_serial_sequence('zammad.users', 'id'),                  (SELECT max(id) FROM zammad.users));
SELECT setval(pg_get_serial_sequence('zammad.roles', 'id'),                  (SELECT max(id) FROM zammad.roles));
SELECT setval(pg_get_serial_sequence('zammad.groups', 'id'),                 (SELECT max(id) FROM zammad.groups));
SELECT setval(pg_get_serial_sequence('zammad.ticket_state_types', 'id'),     (SELECT max(id) FROM zammad.ticket_state_types));
SELECT setval(pg_get_serial_sequence('zammad.ticket_states', 'id'),          (SELECT max(id) FROM zammad.ticket_states));
SELECT setval(pg_get_serial_sequence('zammad.ticket_priorities', 'id'),      (SELECT max(id) FROM zammad.ticket_priorities));
SELECT setval(pg_get_serial_sequence('zammad.ticket_article_types', 'id'),   (SELECT max(id) FROM zammad.ticket_article_types));
SELECT setval(pg_get_serial_sequence('zammad.ticket_article_senders', 'id'), (SELECT max(id) FROM zammad.ticket_article_senders));
