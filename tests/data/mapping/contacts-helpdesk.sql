-- A helpdesk that never heard of SyncDesk: an integer key, columns nobody syncs, agents and customers
-- in one table.
CREATE SCHEMA helpdesk;
CREATE TABLE helpdesk.people (
    id serial PRIMARY KEY,
    email varchar(255) NOT NULL,
    firstname text NOT NULL DEFAULT '',
    lastname text NOT NULL DEFAULT '',
    phone text,
    tags text[] NOT NULL DEFAULT '{}',
    login_count integer NOT NULL DEFAULT 0,
    role text NOT NULL DEFAULT 'customer' -- agents live here too
);
CREATE TABLE helpdesk.ticket_priorities (
    id serial PRIMARY KEY,
    name text NOT NULL UNIQUE
);
INSERT INTO helpdesk.ticket_priorities (name) VALUES ('low'), ('normal'), ('high');
CREATE TABLE helpdesk.tickets (
    id bigserial PRIMARY KEY,
    person_id integer NOT NULL REFERENCES helpdesk.people (id),
    subject text NOT NULL,
    state text NOT NULL,
    priority_id integer NOT NULL REFERENCES helpdesk.ticket_priorities (id),
    channel text NOT NULL
);
